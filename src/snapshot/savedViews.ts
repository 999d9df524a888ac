/**
 * Which traces each trace view of a cell shows, kept in the cell's metadata
 * (`nbtrace.views`: widget model id → trace ids) each time the notebook is saved.
 *
 * A notebook saved while a trace runs holds the kernel's copy from the cell's start,
 * with no runs. If the page then closes while the kernel finishes, the kernel's final
 * copy reaches no page and never the file. Reopened, the output would say "not
 * finished" although the store has every run: with these ids the page rebuilds the
 * saved trace from the store instead (`fillFromStore`). An output whose widget is gone
 * names its view in its own metadata (`nbtrace.view`), so its entry is kept until its
 * copy is rebuilt, whenever the store can be reached.
 */
import { JSONExt, type PartialJSONObject, type ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { SNAPSHOT_MIME_TYPE, type RunStart } from '../protocol';
import { RunStore } from '../store/runStore';
import { traceModelById } from '../widget/traceModel';
import { SNAPSHOT_MAX_RUNS, rebuiltOutputData } from './fromStore';
import { type IOutputList, VIEW_METADATA_KEY, liveTraceModelId } from './orphanedTraces';

/** Traces asked of the server at once. */
const LOADS_AT_ONCE = 8;

export const REBUILT_NOTE =
  'Rebuilt from the nbtrace store, from the traces this view showed when the notebook was last saved: ' +
  'a trace the cell started after that is not here (the nbtrace sessions sidebar lists every trace).';

/** What this needs of a code cell (JupyterLab's `ICodeCellModel`). */
export interface ICellWithTraces {
  readonly outputs: IOutputList;
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
  deleteMetadata(key: string): void;
}

/** Loads a trace's runs from the store (the server's REST API). */
export type TraceRunsLoader = (traceId: string) => Promise<readonly RunStart[]>;

type Views = Record<string, string[]>;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function viewsIn(cell: ICellWithTraces): Views {
  const entry = cell.getMetadata(VIEW_METADATA_KEY);
  const views = isObject(entry) ? entry.views : undefined;
  const found: Views = {};
  if (isObject(views)) {
    for (const [modelId, ids] of Object.entries(views)) {
      if (Array.isArray(ids)) {
        found[modelId] = ids.filter((id): id is string => typeof id === 'string');
      }
    }
  }
  return found;
}

/** The view a settled output was (its metadata's `nbtrace.view`), else null. */
function settledViewOf(output: { readonly metadata: ReadonlyPartialJSONObject }): string | null {
  const entry = output.metadata[VIEW_METADATA_KEY];
  return isObject(entry) && typeof entry.view === 'string' ? entry.view : null;
}

function isFinal(data: ReadonlyPartialJSONObject): boolean {
  return (data[SNAPSHOT_MIME_TYPE] as ReadonlyPartialJSONObject | undefined)?.final === true;
}

/**
 * Record in `cell`'s metadata the traces its views show now: a live view's from its
 * store on this page (or as recorded before, when this page has none of its runs), a
 * gone view's as recorded before while its saved copy is unfinished. None: the entry goes.
 */
export function rememberViews(cell: ICellWithTraces): void {
  const had = viewsIn(cell);
  const views: Views = {};
  const outputs = cell.outputs;
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs.get(i);
    const live = liveTraceModelId(output.data);
    if (live !== null) {
      const store = traceModelById(live)?.store;
      const ids =
        store !== undefined && store.size > 0
          ? [...new Set(store.roots().map(id => store.get(id)?.trace_id ?? id))]
          : (had[live] ?? []);
      if (ids.length > 0) {
        views[live] = ids.slice(-SNAPSHOT_MAX_RUNS); // its newest: each trace has a run at least
      }
      continue;
    }
    const gone = settledViewOf(output);
    if (gone !== null && had[gone] !== undefined && !isFinal(output.data)) {
      views[gone] = had[gone];
    }
  }
  const entry = cell.getMetadata(VIEW_METADATA_KEY);
  const next: PartialJSONObject = isObject(entry) ? { ...(entry as PartialJSONObject) } : {};
  if (Object.keys(views).length > 0) {
    next.views = views;
  } else {
    delete next.views;
  }
  if (Object.keys(next).length === 0) {
    if (entry !== undefined) {
      cell.deleteMetadata(VIEW_METADATA_KEY);
    }
  } else if (!isObject(entry) || !JSONExt.deepEqual(entry as ReadonlyPartialJSONObject, next)) {
    cell.setMetadata(VIEW_METADATA_KEY, next);
  }
}

/** The outputs of `cell` to rebuild from the store: settled, unfinished, their traces recorded. */
export function outputsToFill(cell: ICellWithTraces): { index: number; traceIds: string[] }[] {
  const views = viewsIn(cell);
  const found: { index: number; traceIds: string[] }[] = [];
  for (let i = 0; i < cell.outputs.length; i++) {
    const output = cell.outputs.get(i);
    const view = settledViewOf(output);
    const traceIds = view !== null ? views[view] : undefined;
    if (traceIds !== undefined && traceIds.length > 0 && liveTraceModelId(output.data) === null && !isFinal(output.data)) {
      found.push({ index: i, traceIds });
    }
  }
  return found;
}

const filling = new WeakSet<object>();

/**
 * Replace the saved trace of output `index` with one built from these traces' runs in
 * the store (newest traces first, up to a saved trace's 2,000 runs), unless the store
 * has none of them or the output changed meanwhile; whether it did. A trace the store
 * cannot give is left out.
 */
export async function fillFromStore(
  outputs: IOutputList,
  index: number,
  traceIds: readonly string[],
  load: TraceRunsLoader
): Promise<boolean> {
  const before = index < outputs.length ? outputs.get(index) : undefined;
  if (before === undefined || traceIds.length === 0 || filling.has(before)) {
    return false;
  }
  filling.add(before); // one fill at a time; one that found nothing may be tried again later
  const store = new RunStore();
  try {
    const newestFirst = [...traceIds].reverse();
    for (let at = 0; at < newestFirst.length && store.size < SNAPSHOT_MAX_RUNS; at += LOADS_AT_ONCE) {
      const batch = newestFirst.slice(at, at + LOADS_AT_ONCE);
      const found = await Promise.all(batch.map(id => load(id).catch(() => [] as readonly RunStart[])));
      for (const run of found.flat()) {
        store.applyStart(run);
      }
      store.flush();
    }
  } finally {
    filling.delete(before);
  }
  if (store.size === 0 || index >= outputs.length || outputs.get(index) !== before) {
    return false;
  }
  const data = rebuiltOutputData(before.data, store, 'rebuilt from the nbtrace store', REBUILT_NOTE);
  outputs.set(index, { ...(before.toJSON() as { output_type: string }), data });
  return true;
}
