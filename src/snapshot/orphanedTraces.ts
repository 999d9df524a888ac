/**
 * Cell outputs whose live trace view can never come back. A running cell's trace
 * output holds the live widget and, beside it, the saved trace the kernel last
 * wrote (empty until the cell ends). Once the kernel that holds the widget is gone
 * (restart, crash, shutdown, another kernel), the widget's model will never be
 * found again: a reopened notebook would show "Error displaying widget: model not
 * found". Such an output becomes its saved trace alone, rebuilt from the view's
 * runs when this page has them, with the runs still open ended as interrupted. Its
 * metadata keeps which view it was (`nbtrace.view`).
 */
import type { PartialJSONObject, ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { SNAPSHOT_MIME_TYPE } from '../protocol';
import { traceModelById } from '../widget/traceModel';
import { interruptOpenRuns, rebuiltOutputData } from './fromStore';

export const WIDGET_MIME_TYPE = 'application/vnd.jupyter.widget-view+json';
/** The key of nbtrace's entry in an output's (and a cell's) metadata. */
export const VIEW_METADATA_KEY = 'nbtrace';

/** What this needs of a code cell's outputs (JupyterLab's `IOutputAreaModel`). */
export interface IOutputList {
  readonly length: number;
  get(index: number): {
    readonly data: ReadonlyPartialJSONObject;
    readonly metadata: ReadonlyPartialJSONObject;
    toJSON(): object;
  };
  set(index: number, output: { output_type: string; data: PartialJSONObject; metadata?: PartialJSONObject }): void;
}

/** The widget model id of a trace output that still shows its live view, else null. */
export function liveTraceModelId(data: ReadonlyPartialJSONObject): string | null {
  const view = data[WIDGET_MIME_TYPE] as ReadonlyPartialJSONObject | undefined;
  if (data[SNAPSHOT_MIME_TYPE] === undefined || typeof view?.model_id !== 'string' || view.model_id === '') {
    return null;
  }
  return view.model_id;
}

/** The model ids of the trace outputs in `outputs` that still show their live view. */
export function liveTraceModelIds(outputs: IOutputList): string[] {
  const ids: string[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const id = liveTraceModelId(outputs.get(i).data);
    if (id !== null) {
      ids.push(id);
    }
  }
  return ids;
}

/**
 * Turn each trace output in `outputs` whose widget is gone (`isGone(modelId)`) into
 * its saved trace; how many outputs changed. With `kernelWent`, the widget's kernel
 * has just gone: a saved copy the kernel could not finish is rebuilt from this page's
 * runs, their open runs ended as interrupted. Otherwise (an earlier kernel's widget)
 * the kernel's last saved copy stays as it is.
 */
export function settleOrphanedTraces(
  outputs: IOutputList,
  isGone: (modelId: string) => boolean,
  options: { kernelWent: boolean }
): number {
  let changed = 0;
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs.get(i);
    const modelId = liveTraceModelId(output.data);
    if (modelId === null || !isGone(modelId)) {
      continue;
    }
    let data = { ...output.data } as PartialJSONObject;
    delete data[WIDGET_MIME_TYPE];
    const store = traceModelById(modelId)?.store;
    const saved = output.data[SNAPSHOT_MIME_TYPE] as ReadonlyPartialJSONObject;
    if (options.kernelWent && store !== undefined && store.size > 0 && (saved.final !== true || store.runningCount > 0)) {
      interruptOpenRuns(store);
      data = rebuiltOutputData(data, store, 'its kernel went away before the end');
    }
    const json = output.toJSON() as { output_type: string; metadata?: PartialJSONObject };
    // The view it was, for `savedViews` to find the traces a save recorded for it.
    const metadata = { ...json.metadata, [VIEW_METADATA_KEY]: { view: modelId } };
    outputs.set(i, { ...json, data, metadata });
    changed++;
  }
  return changed;
}
