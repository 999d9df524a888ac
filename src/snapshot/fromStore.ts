/**
 * A cell's saved trace built in the browser from a live view's run store: what the
 * cell's output becomes when its kernel goes away before it could save the trace
 * itself (restart, crash, shutdown mid-run). Bounded as the kernel bounds its own
 * (`nbtrace.output.snapshot`). With the SQLite store, runs reach a view without
 * their payloads (Explore loads them from the store), so this copy has none.
 */
import type { PartialJSONObject, ReadonlyPartialJSONObject } from '@lumino/coreutils';
import {
  INTERRUPTED_ERROR,
  PROTOCOL_VERSION,
  SNAPSHOT_MIME_TYPE,
  type RunEnd,
  type RunStart,
  type SnapshotMessage
} from '../protocol';
import type { Run } from '../store/run';
import type { RunStore } from '../store/runStore';
import { formatTimeUs } from '../store/time';
import { orderFrom } from '../explore/traceRuns';

// The kernel's bounds (`nbtrace.output.snapshot`): runs kept, past them a count; characters
// of payload in all, shared by each run's three payload fields within [MIN, MAX].
export const SNAPSHOT_MAX_RUNS = 2000;
const PAYLOAD_BUDGET = 1_000_000;
const MIN_FIELD_LIMIT = 200;
const MAX_FIELD_LIMIT = 4000;
const PAYLOAD_FIELDS = ['inputs', 'outputs', 'extra'] as const;
// Events a saved run leaves out: its times say them, and streamed tokens are in its outputs.
const UNSAVED_EVENTS = new Set(['new_token', 'start', 'end', 'error']);

/** The store's runs, parents before children, siblings in `dotted_order`. */
function runsInTreeOrder(store: RunStore): Run[] {
  return orderFrom(store, store.roots())
    .ids.map(id => store.get(id))
    .filter((run): run is Run => run !== undefined);
}

/**
 * End every open run as interrupted, at the time the kernel went away (now, on the
 * kernel's clock as the store reckons it): the run ran at least that long. A model call
 * keeps the text it had streamed, as the outputs of a generation cut short (what the
 * store's helper process keeps as it ends the same runs). How many runs were ended.
 */
export function interruptOpenRuns(store: RunStore): number {
  if (store.runningCount === 0) {
    return 0;
  }
  // Never before a time the trace has seen: the estimate of the kernel's clock lags by the delivery delay.
  let endUs = store.nowUs();
  const open: Run[] = [];
  for (const run of runsInTreeOrder(store)) {
    endUs = Math.max(endUs, run.endUs ?? run.startUs);
    if (run.endUs === null) {
      open.push(run);
    }
  }
  const endTime = formatTimeUs(endUs);
  const ends: RunEnd[] = open.map(run => ({
    id: run.id,
    end_time: endTime,
    error: INTERRUPTED_ERROR,
    ...(run.streamed ? { outputs: { generations: [[{ text: run.streamed, type: 'Generation' }]] } } : {})
  }));
  store.apply({ protocol: PROTOCOL_VERSION, kind: 'runs', events: ends.map(run => ({ op: 'end', run })) });
  store.flush();
  return ends.length;
}

/** The store's runs as a saved trace (`$defs/Snapshot`), final once none is running. */
export function snapshotFromStore(
  store: RunStore,
  options: { maxRuns?: number; now?: Date } = {}
): SnapshotMessage {
  const maxRuns = options.maxRuns ?? SNAPSHOT_MAX_RUNS;
  const runs = runsInTreeOrder(store);
  const kept = runs.slice(0, maxRuns);
  const fieldLimit = fieldLimitFor(kept.length);
  return {
    protocol: PROTOCOL_VERSION,
    kind: 'snapshot',
    final: store.runningCount === 0,
    created: (options.now ?? new Date()).toISOString(),
    sessions: [...store.sessions],
    run_count: runs.length,
    omitted_runs: runs.length - kept.length,
    field_limit: fieldLimit,
    runs: kept.map(run => savedRun(run, fieldLimit))
  };
}

function fieldLimitFor(runCount: number): number {
  if (runCount <= 0) {
    return MAX_FIELD_LIMIT;
  }
  return Math.max(MIN_FIELD_LIMIT, Math.min(MAX_FIELD_LIMIT, Math.floor(PAYLOAD_BUDGET / (3 * runCount))));
}

/** A run as a saved trace keeps it: its record, each payload field and the error within `limit`. */
function savedRun(run: Run, limit: number): RunStart {
  const { startUs, endUs, streamed, ...fields } = run; // what the store derived from the record
  const saved: Record<string, unknown> = { ...fields };
  for (const key of PAYLOAD_FIELDS) {
    if (fields[key] !== undefined) {
      saved[key] = bounded(fields[key], limit);
    }
  }
  if (fields.error && fields.error.length > limit) {
    saved.error = `${fields.error.slice(0, limit)}… [truncated by nbtrace: ${fields.error.length.toLocaleString('en-US')} characters in all]`;
  }
  saved.events = (fields.events ?? []).filter(event => !UNSAVED_EVENTS.has(event.name));
  return saved as unknown as RunStart;
}

/** `value` if its JSON fits in `limit` characters, else a marker with its size and a preview. */
function bounded(value: unknown, limit: number): unknown {
  if (value === null) {
    return null;
  }
  const text = JSON.stringify(value);
  if (text.length <= limit) {
    return value;
  }
  return { __nbtrace__: 'truncated', size: text.length, preview: text.slice(0, Math.max(limit - 200, 0)) };
}

/**
 * A trace output's data with its saved trace built from `store` (`note`: how, shown
 * above the tree), its text saying `how` for viewers without nbtrace, and the kernel's
 * HTML of its own older copy left out.
 */
export function rebuiltOutputData(
  data: ReadonlyPartialJSONObject,
  store: RunStore,
  how: string,
  note?: string
): PartialJSONObject {
  const rebuilt = { ...data } as PartialJSONObject;
  const snapshot = snapshotFromStore(store);
  rebuilt[SNAPSHOT_MIME_TYPE] = (note === undefined ? snapshot : { ...snapshot, note }) as unknown as PartialJSONObject;
  rebuilt['text/plain'] = textSummary(store, how);
  delete rebuilt['text/html'];
  return rebuilt;
}

/** What viewers without nbtrace show of a copy rebuilt here (the kernel writes its own in Python). */
function textSummary(store: RunStore, how: string): string {
  const roots = store.roots();
  const lines = [
    `nbtrace: ${roots.length} trace${roots.length === 1 ? '' : 's'}, ${store.size} runs ` +
      `(session ${store.sessions.join(', ')}); ${how}`
  ];
  for (const id of roots.slice(0, 20)) {
    const run = store.get(id);
    lines.push(`  ${run?.name} [${run?.run_type}] ${store.status(id)}`);
  }
  if (roots.length > 20) {
    lines.push(`  … ${roots.length - 20} more traces`);
  }
  return lines.join('\n');
}
