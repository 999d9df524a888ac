/**
 * The Explore plugin: `CommandIDs.openExplore` opens (or focuses) one panel
 * per trace, split right of the current widget. Runs come from the live
 * widget store that holds the trace, else from the server's store.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { NbtraceClient } from '../api/client';
import { CommandIDs, type IExploreArgs } from '../commandIds';
import { liveTraces } from '../store/liveTraces';
import type { ExplorePanel } from './explorePanel';
import { exploreIcon } from './icon';
import { ExploreOpener } from './opener';

/** Reads `{traceId, runId?}` from command args; `null` without a trace id. */
export function exploreArgs(args: Readonly<Record<string, unknown>>): IExploreArgs | null {
  const traceId = args.traceId;
  if (typeof traceId !== 'string' || traceId === '') {
    return null;
  }
  const runId = args.runId;
  return typeof runId === 'string' && runId !== '' ? { traceId, runId } : { traceId };
}

export const explorePlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:explore',
  description:
    'Adds the Explore panel: every run of a trace with its exact inputs and outputs, LLM messages, errors and a timeline.',
  autoStart: true,
  optional: [ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('nbtrace');
    const tracker = new WidgetTracker<ExplorePanel>({ namespace: 'nbtrace-explore' });
    const client = new NbtraceClient(app.serviceManager.serverSettings);

    const opener = new ExploreOpener({
      shell: app.shell,
      findLive: traceId => liveTraces.find(traceId),
      load: traceId => client.traceRuns(traceId),
      loadRun: runId => client.run(runId),
      onPanel: panel => void tracker.add(panel)
    });

    app.commands.addCommand(CommandIDs.openExplore, {
      label: trans.__('Explore Trace'),
      caption: trans.__('Open a trace in the Explore panel: every run, its inputs and outputs'),
      icon: exploreIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            traceId: { type: 'string', description: trans.__('The id of the trace to explore') },
            runId: { type: 'string', description: trans.__('The run to select') }
          },
          required: ['traceId']
        }
      },
      execute: args => {
        const parsed = exploreArgs(args);
        if (parsed === null) {
          console.warn('nbtrace: open-explore needs a traceId');
          return;
        }
        opener.open(parsed);
      }
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openExplore,
        args: panel => ({ traceId: panel.model.traceId }),
        name: panel => panel.model.traceId
      });
    }
  }
};
