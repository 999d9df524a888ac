/**
 * Watches each notebook's kernel so that no cell keeps a trace view whose kernel is
 * gone (see `orphanedTraces`): when the kernel restarts, dies, shuts down or is
 * replaced, and when a notebook opens on a kernel that does not hold a view's model
 * (a notebook saved mid-run, reopened later).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { type IOutputList, liveTraceModelIds, settleOrphanedTraces } from './orphanedTraces';

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
  activate: (_app: JupyterFrontEnd, notebooks: INotebookTracker): void => {
    notebooks.forEach(watch);
    notebooks.widgetAdded.connect((_, panel) => watch(panel));
  }
};

const watched = new WeakSet<NotebookPanel>();

function watch(panel: NotebookPanel): void {
  if (watched.has(panel)) {
    return;
  }
  watched.add(panel);
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
      void settleAgainst(panel, change.newValue);
    }
  });
  void session.ready.then(() => {
    const kernel = session.session?.kernel ?? null;
    if (kernel === null) {
      settle(panel, () => true, false); // no kernel: no widget can show
    } else {
      void settleAgainst(panel, kernel);
    }
  });
}

/** Settle the trace outputs (present now) whose model `kernel` does not hold. */
async function settleAgainst(panel: NotebookPanel, kernel: Kernel.IKernelConnection): Promise<void> {
  // Only outputs there before asking: a cell run meanwhile makes a model the answer may not list.
  const asked = new Set(outputsOf(panel).flatMap(liveTraceModelIds));
  if (asked.size === 0) {
    return;
  }
  try {
    const reply = await kernel.requestCommInfo({ target_name: WIDGET_COMM_TARGET });
    if (reply.content.status !== 'ok') {
      return;
    }
    const comms = reply.content.comms;
    // An earlier kernel's widgets: keep what that kernel saved (this one may still be sending it).
    settle(panel, modelId => asked.has(modelId) && !(modelId in comms), false);
  } catch {
    // The kernel went away while asked: its status change settles these outputs.
  }
}

function settle(panel: NotebookPanel, isGone: (modelId: string) => boolean, kernelWent: boolean): void {
  for (const outputs of outputsOf(panel)) {
    try {
      settleOrphanedTraces(outputs, isGone, { kernelWent });
    } catch (error) {
      console.error('nbtrace: could not keep the trace of a cell whose kernel went away', error);
    }
  }
}

/** The outputs of the notebook's code cells. */
function outputsOf(panel: NotebookPanel): IOutputList[] {
  const cells = panel.content.model?.cells;
  if (cells === undefined) {
    return [];
  }
  const found: IOutputList[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && 'outputs' in cell) {
      found.push(cell.outputs as IOutputList);
    }
  }
  return found;
}
