/**
 * Watches each notebook's kernel so that no cell keeps a trace view whose kernel is
 * gone (see `orphanedTraces`): when the kernel restarts, dies, shuts down or is
 * replaced, and when a notebook opens on a kernel that does not hold a view's model
 * (a notebook saved mid-run, reopened later). Then an output whose saved copy is
 * unfinished is rebuilt from the store, from the trace ids its cell's metadata got
 * when the notebook was saved (see `savedViews`).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { NbtraceClient } from '../api/client';
import { liveTraceModelIds, settleOrphanedTraces } from './orphanedTraces';
import {
  type ICellWithTraces,
  type TraceRunsLoader,
  fillFromStore,
  outputsToFill,
  rememberViews
} from './savedViews';

/** Kernel states after which none of its widget models exists any more. */
const KERNEL_GONE: ReadonlySet<Kernel.Status> = new Set(['restarting', 'autorestarting', 'dead']);

/** The comm target of Jupyter widgets: every widget model in a kernel is one of its comms. */
const WIDGET_COMM_TARGET = 'jupyter.widget';

export const orphanedTracesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:orphaned-traces',
  description:
    "Keeps a cell's trace when its kernel goes away mid-run: the output becomes the saved trace, its open runs ended as interrupted.",
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, notebooks: INotebookTracker): void => {
    const client = new NbtraceClient(app.serviceManager.serverSettings);
    const load: TraceRunsLoader = traceId => client.traceRuns(traceId);
    notebooks.forEach(panel => watch(panel, load));
    notebooks.widgetAdded.connect((_, panel) => watch(panel, load));
  }
};

const watched = new WeakSet<NotebookPanel>();

function watch(panel: NotebookPanel, load: TraceRunsLoader): void {
  if (watched.has(panel)) {
    return;
  }
  watched.add(panel);
  panel.context.saveState.connect((_, state) => {
    if (state === 'started') {
      codeCellsOf(panel).forEach(rememberViews); // before the model is written out
    }
  });
  const session = panel.sessionContext;
  session.statusChanged.connect((_, status) => {
    if (KERNEL_GONE.has(status)) {
      settle(panel, () => true, true);
    }
  });
  session.kernelChanged.connect((_, change) => {
    if (change.oldValue !== null && change.oldValue !== change.newValue) {
      settle(panel, () => true, true);
    }
    if (change.newValue !== null) {
      void settleAgainst(panel, change.newValue, load);
    }
  });
  void session.ready.then(() => {
    const kernel = session.session?.kernel ?? null;
    if (kernel === null) {
      settle(panel, () => true, false, load); // no kernel: no widget can show
    } else {
      void settleAgainst(panel, kernel, load);
    }
  });
}

/** Settle the trace outputs (present now) whose model `kernel` does not hold. */
async function settleAgainst(
  panel: NotebookPanel,
  kernel: Kernel.IKernelConnection,
  load: TraceRunsLoader
): Promise<void> {
  // Only outputs there before asking: a cell run meanwhile makes a model the answer may not list.
  const asked = new Set(codeCellsOf(panel).flatMap(cell => liveTraceModelIds(cell.outputs)));
  if (asked.size === 0) {
    settle(panel, () => false, false, load); // no widget to ask about; earlier ones may be rebuilt
    return;
  }
  try {
    const reply = await kernel.requestCommInfo({ target_name: WIDGET_COMM_TARGET });
    if (reply.content.status !== 'ok') {
      return;
    }
    const comms = reply.content.comms;
    // An earlier kernel's widgets: keep what that kernel saved (this one may still be sending it).
    settle(panel, modelId => asked.has(modelId) && !(modelId in comms), false, load);
  } catch {
    // The kernel went away while asked: its status change settles these outputs.
  }
}

/**
 * Settle the trace outputs whose widget is gone. With `load` (the widget is an earlier
 * kernel's, or there is no kernel), every settled output whose saved copy is unfinished
 * is then rebuilt from the store when its cell's metadata names its traces.
 */
function settle(
  panel: NotebookPanel,
  isGone: (modelId: string) => boolean,
  kernelWent: boolean,
  load?: TraceRunsLoader
): void {
  for (const cell of codeCellsOf(panel)) {
    const outputs = cell.outputs;
    try {
      settleOrphanedTraces(outputs, isGone, { kernelWent });
      if (load !== undefined) {
        for (const { index, traceIds } of outputsToFill(cell)) {
          fillFromStore(outputs, index, traceIds, load).catch(error =>
            console.error('nbtrace: could not rebuild a saved trace from the store', error)
          );
        }
      }
    } catch (error) {
      console.error('nbtrace: could not keep the trace of a cell whose kernel went away', error);
    }
  }
}

/** The notebook's code cells. */
function codeCellsOf(panel: NotebookPanel): ICellWithTraces[] {
  const cells = panel.content.model?.cells;
  if (cells === undefined) {
    return [];
  }
  const found: ICellWithTraces[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && 'outputs' in cell) {
      found.push(cell as unknown as ICellWithTraces);
    }
  }
  return found;
}
