/**
 * Registers the nbtrace widget module (TraceModel, TraceView) with the
 * Jupyter widget manager, so `nbtrace.TraceWidget` renders in JupyterLab.
 */
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { TraceModel } from './widget/traceModel';
import { TraceView } from './widget/traceView';
import { MODULE_NAME, MODULE_VERSION } from './version';

export const widgetPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbtrace:widget',
  description:
    'Registers the nbtrace trace widget, which shows the runs of a notebook cell inline under it.',
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (_app: JupyterFrontEnd, registry: IJupyterWidgetRegistry): void => {
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: { TraceModel, TraceView }
    });
  }
};
