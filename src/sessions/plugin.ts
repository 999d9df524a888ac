/**
 * The Sessions sidebar plugin: the panel in the left area, the
 * `nbtrace:open-sessions` command (and its palette entry), layout restoration.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { NbtraceClient } from '../api/client';
import { CommandIDs, type IExploreArgs } from '../commandIds';
import { sessionsIcon } from './icons';
import { SessionsModel } from './sessionsModel';
import { SESSIONS_PANEL_ID, SessionsPanel } from './sessionsPanel';

/** After the file browser (100) and the running sessions (200). */
const SIDEBAR_RANK = 250;

export const sessionsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:sessions',
  description:
    'The nbtrace Sessions sidebar: lists tracing sessions and their traces, and creates, renames and deletes sessions.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('nbtrace');
    const model = new SessionsModel({
      client: new NbtraceClient(app.serviceManager.serverSettings),
      translator
    });
    const openTrace = (traceId: string): void => {
      if (!app.commands.hasCommand(CommandIDs.openExplore)) {
        Notification.warning(trans.__('The nbtrace Explore panel is not available.'), {
          autoClose: 5000
        });
        return;
      }
      const args: IExploreArgs = { traceId };
      void app.commands.execute(CommandIDs.openExplore, { ...args });
    };
    const panel = new SessionsPanel({ model, translator, onOpenTrace: openTrace });
    app.shell.add(panel, 'left', { rank: SIDEBAR_RANK });
    restorer?.add(panel, SESSIONS_PANEL_ID);

    app.commands.addCommand(CommandIDs.openSessions, {
      label: trans.__('Show nbtrace Sessions'),
      caption: trans.__('Show the sessions of traced runs and their traces'),
      icon: sessionsIcon,
      execute: () => {
        app.shell.activateById(panel.id);
      }
    });
    palette?.addItem({ command: CommandIDs.openSessions, category: 'nbtrace' });
  }
};
