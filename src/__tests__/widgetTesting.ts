/**
 * A comm and a widget manager that stand in for the kernel and for
 * @jupyter-widgets/jupyterlab-manager, so models and views run without either.
 */
import type { IClassicComm, IWidgetManager, WidgetModel } from '@jupyter-widgets/base';
import type { JSONValue } from '@lumino/coreutils';

type Handler = (msg: unknown) => void;

export class FakeComm implements IClassicComm {
  comm_id = 'nbtrace-test-comm';
  target_name = 'jupyter.widget';
  /** The `data` of every message sent to the kernel. */
  readonly sent: JSONValue[] = [];

  open(): string {
    return 'open';
  }

  send(data: JSONValue): string {
    this.sent.push(data);
    return `msg-${this.sent.length}`;
  }

  close(): string {
    this._closeHandlers.forEach(h => h({ content: { comm_id: this.comm_id, data: {} } }));
    return 'close';
  }

  on_msg(callback: Handler): void {
    this._msgHandlers.push(callback);
  }

  on_close(callback: Handler): void {
    this._closeHandlers.push(callback);
  }

  /** Deliver a custom widget message from the kernel (`widget.send(content, buffers)` in Python). */
  receiveCustom(content: JSONValue, buffers: DataView[] = []): void {
    const msg = {
      header: { msg_type: 'comm_msg' },
      parent_header: {},
      content: { comm_id: this.comm_id, data: { method: 'custom', content } },
      buffers
    };
    this._msgHandlers.forEach(h => h(msg));
  }

  /** Deliver a protocol message as TraceWidget.deliver sends it: JSON in the one buffer. */
  receiveInBuffer(message: JSONValue): void {
    const bytes = new TextEncoder().encode(JSON.stringify(message));
    this.receiveCustom({ protocol: 1, encoding: 'json-buffer' }, [new DataView(bytes.buffer)]);
  }

  private _msgHandlers: Handler[] = [];
  private _closeHandlers: Handler[] = [];
}

const notHere = (): Promise<never> => Promise.reject(new Error('not in this test manager'));

/** A widget manager with no kernel behind it. */
export function fakeManager(): IWidgetManager {
  const models = new Map<string, Promise<WidgetModel>>();
  return {
    get_model: id => models.get(id) ?? notHere(),
    has_model: id => models.has(id),
    register_model: (id, model) => {
      models.set(id, model);
    },
    new_widget: notHere,
    new_model: notHere,
    create_view: notHere,
    callbacks: () => ({}),
    resolveUrl: url => Promise.resolve(url),
    inline_sanitize: s => s
  };
}
