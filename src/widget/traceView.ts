/**
 * A view of a TraceModel: hosts the React trace view in the widget's element.
 * Several views of one model share its store; each keeps its own expansion.
 */
import { DOMWidgetView } from '@jupyter-widgets/base';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Trace } from '../components/Trace';
import { TraceModel } from './traceModel';

export class TraceView extends DOMWidgetView {
  render(): void {
    this.el.classList.add('nbtrace-widget');
    const model = this.model;
    if (!(model instanceof TraceModel)) {
      this.el.textContent = 'nbtrace: this view needs a TraceModel';
      return;
    }
    this._root = createRoot(this.el);
    this._root.render(createElement(Trace, { store: model.store }));
  }

  remove(): this {
    this._root?.unmount();
    this._root = null;
    return super.remove();
  }

  private _root: Root | null = null;
}
