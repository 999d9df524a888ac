import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { explorePlugin } from './explore/plugin';
import { widgetPlugin } from './plugin';
import { sessionsPlugin } from './sessions/plugin';
import { orphanedTracesPlugin } from './snapshot/orphanedTracesPlugin';
import { snapshotPlugin } from './snapshot/plugin';

const plugins: JupyterFrontEndPlugin<void>[] = [
  widgetPlugin,
  snapshotPlugin,
  orphanedTracesPlugin,
  sessionsPlugin,
  explorePlugin
];

export default plugins;
