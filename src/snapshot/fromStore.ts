/**
 * A cell's saved trace built in the browser from a live view's run store: what the
 * cell's output becomes when its kernel goes away before it could save the trace
 * itself (restart, crash, shutdown mid-run). With the SQLite store, runs reach a
 * view without their payloads (Explore loads them from the store), so neither does
 * this copy; the kernel's own snapshot (`nbtrace.output.snapshot`) has them.
 */
import { INTERRUPTED_ERROR, PROTOCOL_VERSION, type RunEnd, type RunStart, type SnapshotMessage } from '../protocol';
import type { Run } from '../store/run';
import type { RunStore } from '../store/runStore';
import { formatTimeUs } from '../store/time';

/** Runs a saved trace keeps, as the kernel's snapshot does (`DEFAULT_MAX_RUNS`); past it, a count. */
const SNAPSHOT_MAX_RUNS = 2000;

/** The store's runs, parents before children, siblings in `dotted_order`. */
function* runsInTreeOrder(store: RunStore): Generator<Run> {
  const stack = [...store.roots()].reverse();
  while (stack.length > 0) {
    const run = store.get(stack.pop() as string);
    if (run === undefined) {
      continue;
    }
    yield run;
    const children = store.children(run.id);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]);
    }
  }
}

/**
 * End every open run as interrupted, at the time the kernel went away (now, on the
 * kernel's clock as the store reckons it): the run ran at least that long. How many
 * runs were ended. (The SQLite store, which cannot tell when a kernel died, ends them
 * at the last time their trace saw.)
 */
export function interruptOpenRuns(store: RunStore): number {
  if (store.runningCount === 0) {
    return 0;
  }
  const nowUs = store.nowUs();
  const ends: RunEnd[] = [];
  for (const run of runsInTreeOrder(store)) {
    if (run.endUs === null) {
      ends.push({ id: run.id, end_time: formatTimeUs(Math.max(nowUs, run.startUs)), error: INTERRUPTED_ERROR });
    }
  }
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
  const runs: RunStart[] = [];
  const sessions: string[] = [];
  let count = 0;
  for (const run of runsInTreeOrder(store)) {
    count++;
    if (run.parent_run_id == null && !sessions.includes(run.session_name)) {
      sessions.push(run.session_name);
    }
    if (runs.length < maxRuns) {
      runs.push(record(run));
    }
  }
  return {
    protocol: PROTOCOL_VERSION,
    kind: 'snapshot',
    final: store.runningCount === 0,
    created: (options.now ?? new Date()).toISOString(),
    sessions,
    run_count: count,
    omitted_runs: count - runs.length,
    runs
  };
}

/** A run as its record: what the store derived from it (parsed times, streamed text) left out. */
function record(run: Run): RunStart {
  const { startUs, endUs, streamed, ...fields } = run;
  return fields;
}
