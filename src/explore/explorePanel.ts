/**
 * The Lumino side of an Explore panel: a main-area widget hosting the React
 * view, titled with the trace's root run, closable. It owns its model and
 * disposes it on close (which leaves a live widget's store untouched).
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { createElement, type ReactElement } from 'react';
import type { RunStore } from '../store/runStore';
import type { ExploreModel } from './exploreModel';
import { exploreIcon } from './icon';
import { ExploreView } from './views/ExploreView';

export class ExplorePanel extends ReactWidget {
  constructor(readonly model: ExploreModel) {
    super();
    this.id = `nbtrace-explore-${model.traceId}`;
    this.addClass('nbtrace-explore-panel');
    this.node.tabIndex = -1;
    this.title.closable = true;
    this.title.icon = exploreIcon;
    model.changed.connect(this._onModelChanged, this);
    this._watch(model.store);
    this._updateTitle();
  }

  render(): ReactElement {
    return createElement(ExploreView, { model: this.model });
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._watched?.changed.disconnect(this._updateTitle, this);
    this.model.dispose();
    super.dispose();
  }

  /** Focus the run tree's current row, else the panel. */
  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    const row = this.node.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]');
    (row ?? this.node).focus();
  }

  private _onModelChanged(): void {
    if (this.model.store !== this._watched) {
      this._watch(this.model.store);
    }
    this._updateTitle();
  }

  private _watch(store: RunStore): void {
    this._watched?.changed.disconnect(this._updateTitle, this);
    this._watched = store;
    store.changed.connect(this._updateTitle, this);
  }

  private _updateTitle(): void {
    const label = this.model.title;
    if (this.title.label !== label) {
      this.title.label = label;
      this.title.caption = `Explore: ${label}\ntrace ${this.model.traceId}`;
    }
  }

  private _watched: RunStore | null = null;
}
