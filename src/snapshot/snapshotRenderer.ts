/**
 * Renders a cell's saved trace (MIME type `SNAPSHOT_MIME_TYPE`) with the same
 * tree as the live widget: what a reopened notebook, or a cell whose runs have
 * all ended, shows. Its runs are offered to Explore like a live widget's.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { IExploreArgs } from '../commandIds';
import { Trace } from '../components/Trace';
import { protocolMismatchNotice } from '../format';
import { PROTOCOL_VERSION, SNAPSHOT_MIME_TYPE, parseMessage } from '../protocol';
import { liveTraces } from '../store/liveTraces';
import type { Run } from '../store/run';
import { RunStore } from '../store/runStore';
import { snapshotStore } from './snapshotStore';

export interface ISnapshotExplorer {
  available(): boolean;
  open(args: IExploreArgs): void;
}

export class SnapshotRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly _explorer: ISnapshotExplorer | null) {
    super();
    this.addClass('nbtrace-widget');
    this.addClass('nbtrace-snapshot');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._release();
    const store = new RunStore();
    const parsed = parseMessage(model.data[SNAPSHOT_MIME_TYPE]);
    if (parsed.ok && parsed.message.kind === 'snapshot') {
      snapshotStore(parsed.message, store);
      this._registration = liveTraces.register(store);
    } else if (!parsed.ok && parsed.otherProtocol !== undefined) {
      store.setNotice(protocolMismatchNotice(parsed.otherProtocol, PROTOCOL_VERSION));
    } else {
      store.setNotice(`nbtrace: this saved trace cannot be read (${parsed.ok ? 'not a snapshot' : parsed.error})`);
    }
    store.flush();
    this._store = store;
    const explorer = this._explorer;
    const onExplore =
      explorer !== null && explorer.available()
        ? (run: Run) => explorer.open({ traceId: run.trace_id, runId: run.id })
        : undefined;
    this._root ??= createRoot(this.node);
    this._root.render(createElement(Trace, { store, onExplore }));
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._root?.unmount();
    this._root = null;
    this._release();
    super.dispose();
  }

  private _release(): void {
    this._registration?.dispose();
    this._registration = null;
    this._store?.dispose();
    this._store = null;
  }

  private _root: Root | null = null;
  private _store: RunStore | null = null;
  private _registration: { dispose(): void } | null = null;
}
