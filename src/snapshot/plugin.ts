/**
 * Registers the renderer of saved traces. Its rank puts it after the live
 * widget (jupyterlab_widgets ranks the widget view at -10) and before HTML, so
 * JupyterLab with nbtrace draws the tree where others show the static HTML.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { CommandIDs } from '../commandIds';
import { SNAPSHOT_MIME_TYPE } from '../protocol';
import { SnapshotRenderer } from './snapshotRenderer';

export const SNAPSHOT_RENDERER_RANK = 0;

export const snapshotPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:snapshot',
  description: 'Shows the traces saved in a notebook (a reopened notebook, a finished cell) as a run tree.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry): void => {
    const explorer = {
      available: () => app.commands.hasCommand(CommandIDs.openExplore),
      open: (args: { traceId: string; runId?: string }) => {
        void app.commands.execute(CommandIDs.openExplore, { ...args });
      }
    };
    rendermime.addFactory(
      { safe: true, mimeTypes: [SNAPSHOT_MIME_TYPE], defaultRank: SNAPSHOT_RENDERER_RANK, createRenderer: () => new SnapshotRenderer(explorer) },
      SNAPSHOT_RENDERER_RANK
    );
  }
};
