/**
 * Shared test data: the protocol's example messages, read from disk, and
 * small builders for hand-made runs.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { parseMessage, type RunStart, type RunsMessage } from '../protocol';

export const PROTOCOL_DIR = join(__dirname, '..', '..', 'protocol');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Every example message, by file name. */
export function exampleFiles(): { name: string; value: unknown }[] {
  const dir = join(PROTOCOL_DIR, 'examples');
  return readdirSync(dir)
    .filter(name => name.endsWith('.json'))
    .sort()
    .map(name => ({ name, value: readJson(join(dir, name)) }));
}

/** An example that must parse as a runs message. */
export function runsExample(name: string): RunsMessage {
  const result = parseMessage(readJson(join(PROTOCOL_DIR, 'examples', name)));
  if (!result.ok || result.message.kind !== 'runs') {
    throw new Error(`${name} is not a runs message`);
  }
  return result.message;
}

/** Run ids of the examples. */
export const RUN = {
  sequence: '0a5b6c7d-1111-4aaa-8bbb-000000000001',
  prompt: '0a5b6c7d-1111-4aaa-8bbb-000000000002',
  llm: '0a5b6c7d-1111-4aaa-8bbb-000000000003',
  parser: '0a5b6c7d-1111-4aaa-8bbb-000000000004'
};

/** A UUID made from a number. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

/** An ISO time `offsetMs` after a fixed instant. */
export function isoAt(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

function stamp(offsetMs: number, id: string): string {
  const iso = new Date(T0 + offsetMs).toISOString();
  const digits = iso.replace(/[-:]/g, '').replace('.', '');
  // 20261124T100000123Z -> 20261124T100000123000Z + id
  return `${digits.slice(0, 18)}000Z${id}`;
}

/** A valid run start at `offsetMs`, child of `parent` (whose dotted order is given). */
export function makeStart(
  n: number,
  offsetMs: number,
  parent: RunStart | null = null,
  overrides: Partial<RunStart> = {}
): RunStart {
  const id = uuid(n);
  const own = stamp(offsetMs, id);
  return {
    id,
    trace_id: parent ? parent.trace_id : id,
    parent_run_id: parent ? parent.id : null,
    dotted_order: parent ? `${parent.dotted_order}.${own}` : own,
    name: `run ${n}`,
    run_type: 'chain',
    start_time: isoAt(offsetMs),
    session_name: 'default',
    ...overrides
  };
}

export function runsMessage(events: RunsMessage['events'], replay?: boolean): RunsMessage {
  return { protocol: 1, kind: 'runs', ...(replay !== undefined && { replay }), events };
}
