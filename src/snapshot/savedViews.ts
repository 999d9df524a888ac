/**
 * Which traces each live trace view of a cell shows, kept in the cell's metadata
 * (`nbtrace.views`: widget model id → trace ids) each time the notebook is saved.
 *
 * A notebook saved while a trace runs holds the kernel's copy from the cell's start,
 * with no runs. If the page then closes while the kernel finishes, the kernel's final
 * copy reaches no page and never the file. Reopened, the output would say "not
 * finished" although the store has every run: with these ids the page rebuilds the
 * saved trace from the store instead (`fillFromStore`).
 */
import { JSONExt, type PartialJSONObject, type ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { SNAPSHOT_MIME_TYPE, type RunStart } from '../protocol';
import { RunStore } from '../store/runStore';
import { traceModelById } from '../widget/traceModel';
import { snapshotFromStore } from './fromStore';
import { type IOutputList, liveTraceModelIds, textSummary } from './orphanedTraces';

export const METADATA_KEY = 'nbtrace';
/** A view's trace ids kept, at most: a saved trace keeps 2,000 runs, each trace has one at least. */
const MAX_TRACES = 2000;

/** What this needs of a code cell (JupyterLab's `ICodeCellModel`). */
export interface ICellWithTraces {
  readonly outputs: IOutputList;
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
  deleteMetadata(key: string): void;
}

/** Loads a trace's runs from the store (the server's REST API). */
export type TraceRunsLoader = (traceId: string) => Promise<readonly RunStart[]>;

/** Record in `cell`'s metadata the traces its live views show now (none: the key goes). */
export function rememberViews(cell: ICellWithTraces): void {
  const views: Record<string, string[]> = {};
  for (const modelId of liveTraceModelIds(cell.outputs)) {
    const store = traceModelById(modelId)?.store;
    const traceIds = new Set((store?.roots() ?? []).map(id => store?.get(id)?.trace_id ?? id));
    if (traceIds.size > 0) {
      views[modelId] = [...traceIds].slice(0, MAX_TRACES);
    }
  }
  const had = cell.getMetadata(METADATA_KEY);
  if (Object.keys(views).length === 0) {
    if (had !== undefined) {
      cell.deleteMetadata(METADATA_KEY);
    }
    return;
  }
  const value = { views };
  if (had === undefined || !JSONExt.deepEqual(had as ReadonlyPartialJSONObject, value)) {
    cell.setMetadata(METADATA_KEY, value);
  }
}

/** The trace ids `cell`'s metadata keeps for the view with this model id. */
export function rememberedTraceIds(cell: ICellWithTraces, modelId: string): string[] {
  const views = (cell.getMetadata(METADATA_KEY) as { views?: unknown } | undefined)?.views;
  const ids = views !== null && typeof views === 'object' ? (views as Record<string, unknown>)[modelId] : undefined;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Replace the saved trace of output `index` with one built from these traces' runs in
 * the store, unless the store has none or the output changed meanwhile; whether it did.
 * A trace the store cannot give is left out.
 */
export async function fillFromStore(
  outputs: IOutputList,
  index: number,
  traceIds: readonly string[],
  load: TraceRunsLoader
): Promise<boolean> {
  const before = index < outputs.length ? outputs.get(index) : undefined;
  if (before === undefined || traceIds.length === 0) {
    return false;
  }
  const found = await Promise.all(traceIds.map(id => load(id).catch(() => [] as readonly RunStart[])));
  const store = new RunStore();
  for (const run of found.flat()) {
    store.applyStart(run);
  }
  store.flush();
  if (store.size === 0 || index >= outputs.length || outputs.get(index) !== before) {
    return false;
  }
  const data = { ...before.data } as PartialJSONObject;
  data[SNAPSHOT_MIME_TYPE] = snapshotFromStore(store) as unknown as PartialJSONObject;
  data['text/plain'] = textSummary(store, 'rebuilt from the nbtrace store');
  delete data['text/html']; // the kernel's, of the cell's start: no runs
  outputs.set(index, { ...(before.toJSON() as { output_type: string }), data });
  return true;
}
