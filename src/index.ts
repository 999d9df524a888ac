import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { widgetPlugin } from './plugin';

const plugins: JupyterFrontEndPlugin<void>[] = [widgetPlugin];

export default plugins;
