/**
 * A run as the store holds it, how records merge, and what is derived from a
 * run (status, latency, tokens). Pure functions; runs are immutable values, so
 * a changed run is a new object and unchanged rows can skip re-rendering.
 */
import type { RunEnd, RunStart } from '../protocol';
import { parseTimeUs } from './time';

/** A run record plus its parsed times. */
export interface Run extends RunStart {
  /** `start_time` in microseconds since the epoch. */
  readonly startUs: number;
  /** `end_time` in microseconds since the epoch, `null` while running. */
  readonly endUs: number | null;
  /** Text streamed so far by a running LLM run (dropped when the run ends: its outputs hold it all). */
  readonly streamed?: string;
}

export type RunStatus = 'running' | 'ok' | 'error';

export interface TokenCounts {
  readonly prompt: number | null;
  readonly completion: number | null;
  readonly total: number | null;
}

function timeUs(iso: string | null | undefined): number | null {
  return iso === null || iso === undefined ? null : parseTimeUs(iso);
}

/** `running` if the run has no end, `error` if it failed, else `ok`. */
export function runStatus(run: Run): RunStatus {
  if (run.endUs === null) {
    return 'running';
  }
  return run.error ? 'error' : 'ok';
}

/**
 * The run's latency in microseconds: end - start, or for a running run the time
 * elapsed until `nowUs` (on the kernel's clock). Never negative.
 */
export function latencyUs(run: Run, nowUs: number): number {
  const end = run.endUs ?? nowUs;
  return Math.max(0, end - run.startUs);
}

/** Token counts, or `null` when the run reports none. */
export function tokenCounts(run: Run): TokenCounts | null {
  const prompt = run.prompt_tokens ?? null;
  const completion = run.completion_tokens ?? null;
  let total = run.total_tokens ?? null;
  if (total === null && prompt !== null && completion !== null) {
    total = prompt + completion;
  }
  if (prompt === null && completion === null && total === null) {
    return null;
  }
  return { prompt, completion, total };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The end fields a start record may also carry (a replay), and an end patch carries. */
const END_FIELDS = [
  'inputs',
  'outputs',
  'error',
  'extra',
  'events',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens'
] as const;

type EndKey = (typeof END_FIELDS)[number];
type EndPart = { -readonly [K in EndKey]?: RunEnd[K] };

/** Copy one end field if the source has it. */
function copyField<K extends EndKey>(target: EndPart, source: EndPart, key: K): void {
  const value = source[key];
  if (value !== undefined) {
    target[key] = value;
  }
}

/** Set `key` unless the value is absent, or null where the run already has a value. */
function setField<K extends keyof Run>(run: Mutable<Run>, key: K, value: Run[K] | undefined): void {
  if (value === undefined || (value === null && run[key] !== null && run[key] !== undefined)) {
    return;
  }
  run[key] = value;
}

/**
 * Merge a start record into the run already held under its id (a replay after
 * live events, or a duplicate). Identity fields come from the new record; end
 * fields never go back from set to unset, so a stale snapshot cannot make an
 * ended run look running again.
 */
export function mergeStart(prev: Run | undefined, next: RunStart): Run {
  const run: Mutable<Run> = prev
    ? { ...prev }
    : {
        id: next.id,
        trace_id: next.trace_id,
        dotted_order: next.dotted_order,
        name: next.name,
        run_type: next.run_type,
        start_time: next.start_time,
        session_name: next.session_name,
        startUs: 0,
        endUs: null
      };
  run.trace_id = next.trace_id;
  run.dotted_order = next.dotted_order;
  run.name = next.name;
  run.run_type = next.run_type;
  run.start_time = next.start_time;
  run.session_name = next.session_name;
  run.startUs = parseTimeUs(next.start_time) ?? run.startUs;
  if (next.parent_run_id !== undefined) {
    run.parent_run_id = next.parent_run_id;
  }
  if (next.tags !== undefined) {
    run.tags = next.tags;
  }
  setField(run, 'end_time', next.end_time);
  for (const key of END_FIELDS) {
    setField(run, key, next[key]);
  }
  run.endUs = timeUs(run.end_time);
  return run;
}

/** Apply an end patch: only the fields it carries change. */
export function applyEnd(prev: Run, end: RunEnd): Run {
  const run: Mutable<Run> = { ...prev };
  run.end_time = end.end_time;
  run.endUs = timeUs(end.end_time);
  delete run.streamed;
  for (const key of END_FIELDS) {
    copyField(run, end, key);
  }
  return run;
}

/** Append streamed text to a running run; an ended run keeps its outputs and ignores it. */
export function appendStream(prev: Run, text: string): Run {
  if (prev.endUs !== null || text.length === 0) {
    return prev;
  }
  return { ...prev, streamed: (prev.streamed ?? '') + text };
}

/** Combine two end patches for a run whose start has not arrived (the later wins). */
export function mergeEnds(first: RunEnd, second: RunEnd): RunEnd {
  const end: Mutable<RunEnd> = { ...first, end_time: second.end_time };
  for (const key of END_FIELDS) {
    copyField(end, second, key);
  }
  return end;
}
