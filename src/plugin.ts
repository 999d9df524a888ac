/**
 * Registers the nbtrace widget module (TraceModel, TraceView) with the
 * Jupyter widget manager, so `nbtrace.TraceWidget` renders in JupyterLab.
 * Its rows' Explore buttons run `CommandIDs.openExplore` (the Explore plugin).
 */
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CommandIDs } from './commandIds';
import { TraceModel } from './widget/traceModel';
import { traceViewWithExplore } from './widget/traceView';
import { MODULE_NAME, MODULE_VERSION } from './version';

export const widgetPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:widget',
  description:
    'Registers the nbtrace trace widget, which shows the runs of a notebook cell inline under it.',
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (app: JupyterFrontEnd, registry: IJupyterWidgetRegistry): void => {
    const TraceView = traceViewWithExplore({
      available: () => app.commands.hasCommand(CommandIDs.openExplore),
      open: args => {
        void app.commands.execute(CommandIDs.openExplore, { ...args });
      }
    });
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: { TraceModel, TraceView }
    });
  }
};
