/**
 * A view of a TraceModel: hosts the React trace view in the widget's element.
 * Several views of one model share its store; each keeps its own expansion.
 */
import { DOMWidgetView } from '@jupyter-widgets/base';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { IExploreArgs } from '../commandIds';
import { Trace } from '../components/Trace';
import type { Run } from '../store/run';
import { TraceModel } from './traceModel';

/** How a view opens the Explore panel; `available()` is asked when a view renders. */
export interface IExploreOpener {
  available(): boolean;
  open(args: IExploreArgs): void;
}

export class TraceView extends DOMWidgetView {
  render(): void {
    this.el.classList.add('nbtrace-widget');
    const model = this.model;
    if (!(model instanceof TraceModel)) {
      this.el.textContent = 'nbtrace: this view needs a TraceModel';
      return;
    }
    const opener = this.exploreOpener();
    const onExplore =
      opener !== null && opener.available()
        ? (run: Run) => opener.open({ traceId: run.trace_id, runId: run.id })
        : undefined;
    this._root = createRoot(this.el);
    this._root.render(createElement(Trace, { store: model.store, onExplore }));
  }

  remove(): this {
    this._root?.unmount();
    this._root = null;
    return super.remove();
  }

  /** How this view opens Explore: none here; see `traceViewWithExplore`. */
  protected exploreOpener(): IExploreOpener | null {
    return null;
  }

  private _root: Root | null = null;
}

/**
 * The TraceView class the plugin registers: the same view, whose rows get an
 * Explore button that opens the panel through `opener`.
 */
export function traceViewWithExplore(opener: IExploreOpener): typeof TraceView {
  return class ExploringTraceView extends TraceView {
    protected exploreOpener(): IExploreOpener {
      return opener;
    }
  };
}
