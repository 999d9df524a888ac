import { act } from 'react';
import { MODULE_NAME, MODULE_SEMVER, MODULE_VERSION } from '../version';
import { IJupyterWidgetRegistry, type IWidgetRegistryData } from '@jupyter-widgets/base';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import plugins from '../index';
import { SYNC_WHEN_SILENT_MS, TraceModel } from '../widget/traceModel';
import { TraceView } from '../widget/traceView';
import { PROTOCOL_DIR, RUN, readJson } from './fixtures';
import './render';
import { FakeComm, fakeManager } from './widgetTesting';
import { join } from 'path';

const example = (name: string): any => readJson(join(PROTOCOL_DIR, 'examples', name));

function createModel(): { model: TraceModel; comm: FakeComm } {
  const comm = new FakeComm();
  const model = new TraceModel({}, { model_id: 'trace-1', comm, widget_manager: fakeManager() });
  return { model, comm };
}

describe('TraceModel', () => {
  const SYNC = { method: 'custom', content: { protocol: 1, kind: 'sync' } };

  it('created with its widget, it gets every run live and never asks for a replay', () => {
    jest.useFakeTimers();
    try {
      const { model, comm } = createModel();
      comm.receiveCustom(example('runs-start.json'));
      comm.receiveCustom(example('runs-end-and-error.json'));
      jest.advanceTimersByTime(SYNC_WHEN_SILENT_MS * 2);
      expect(comm.sent).toEqual([]);
      expect(model.store.size).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it('created after a reload of an idle kernel, it asks for what the kernel holds once nothing arrives', () => {
    jest.useFakeTimers();
    try {
      const { comm } = createModel();
      jest.advanceTimersByTime(SYNC_WHEN_SILENT_MS - 1);
      expect(comm.sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(comm.sent).toEqual([SYNC]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('created after a reload mid-run, it asks as soon as a message shows it missed runs, once', () => {
    const { model, comm } = createModel();
    comm.receiveCustom(example('runs-end-and-error.json')); // ends of runs it never saw start
    expect(comm.sent).toEqual([SYNC]);
    comm.receiveCustom(example('runs-stream.json'));
    expect(comm.sent).toEqual([SYNC]);
    comm.receiveCustom(example('runs-replay.json'));
    expect(model.store.get(RUN.sequence)?.end_time).toBeTruthy();
  });

  it('mirrors the Python widget traits', () => {
    const { model } = createModel();
    expect(MODULE_NAME).toBe('nbtrace');
    expect(MODULE_SEMVER).toBe(`^${MODULE_VERSION}`);
    expect(model.get('_model_name')).toBe('TraceModel');
    expect(model.get('_view_name')).toBe('TraceView');
    expect(model.get('_model_module')).toBe('nbtrace');
    expect(model.get('_view_module')).toBe('nbtrace');
    expect(model.get('_model_module_version')).toBe('^0.1.0');
    expect(model.get('_view_module_version')).toBe('^0.1.0');
  });

  it('reads runs sent as JSON in the message buffer, as the kernel sends them', () => {
    const { model, comm } = createModel();
    comm.receiveInBuffer(example('runs-start.json'));
    comm.receiveInBuffer(example('runs-end-and-error.json'));
    expect(model.store.size).toBe(4);
    expect(model.store.runningCount).toBe(0);
  });

  it('says so when a buffered message is missing its buffer or is not JSON', () => {
    const { model, comm } = createModel();
    comm.receiveCustom({ protocol: 1, encoding: 'json-buffer' });
    expect(model.store.notice).toMatch(/malformed/);
    const garbage = new TextEncoder().encode('{not json');
    comm.receiveCustom({ protocol: 1, encoding: 'json-buffer' }, [new DataView(garbage.buffer)]);
    expect(model.store.size).toBe(0);
  });

  it('applies the runs the kernel sends to its store, without a view', () => {
    const { model, comm } = createModel();
    comm.receiveCustom(example('runs-start.json'));
    expect(model.store.size).toBe(3);
    expect(model.store.runningCount).toBe(2);
    comm.receiveCustom(example('runs-end-and-error.json'));
    comm.receiveCustom(example('runs-replay.json'));
    expect(model.store.size).toBe(4);
    expect(model.store.children(RUN.sequence)).toHaveLength(3);
    expect(model.store.runningCount).toBe(0);
    expect(model.store.notice).toBeNull();
  });

  it('turns another protocol version into a readable notice', () => {
    const { model, comm } = createModel();
    expect(() => comm.receiveCustom({ ...example('runs-start.json'), protocol: 2 })).not.toThrow();
    expect(model.store.size).toBe(0);
    expect(model.store.notice).toBe(
      'nbtrace: the kernel speaks protocol 2, this extension speaks 1 — install matching versions'
    );
  });

  it('ignores a malformed message and says so', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { model, comm } = createModel();
      comm.receiveCustom({ protocol: 1, kind: 'runs', events: [{ op: 'start', run: {} }] });
      expect(model.store.size).toBe(0);
      expect(model.store.notice).toContain('malformed');
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('TraceView', () => {
  function createView(model: TraceModel): TraceView {
    const view = new TraceView({ model });
    act(() => view.render());
    document.body.appendChild(view.el);
    return view;
  }

  it('renders the model store and follows it live; each view keeps its own state', () => {
    const { model, comm } = createModel();
    const first = createView(model);
    expect(first.el.textContent).toContain('Waiting for runs…');

    act(() => {
      comm.receiveCustom(example('runs-start.json'));
      model.store.flush();
    });
    const second = createView(model);
    for (const view of [first, second]) {
      expect(view.el.querySelectorAll('[role="treeitem"]')).toHaveLength(1);
      expect(view.el.textContent).toContain('session: default');
    }

    const toggle = first.el.querySelector('.nbtrace-row__toggle--closed')!;
    act(() => {
      toggle.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    expect(first.el.querySelectorAll('[role="treeitem"]')).toHaveLength(3);
    expect(second.el.querySelectorAll('[role="treeitem"]')).toHaveLength(1);

    act(() => {
      first.remove();
    });
    expect(first.el.childNodes).toHaveLength(0);
    act(() => second.remove());
  });

  it('shows the protocol notice', () => {
    const { model, comm } = createModel();
    const view = createView(model);
    act(() => {
      comm.receiveCustom({ protocol: 7, kind: 'runs', events: [] });
      model.store.flush();
    });
    expect(view.el.querySelector('[role="alert"]')!.textContent).toBe(
      'nbtrace: the kernel speaks protocol 7, this extension speaks 1 — install matching versions'
    );
    act(() => view.remove());
  });
});

describe('plugin', () => {
  it('registers the widget module under the npm name and version', () => {
    // index.ts also assembles the other plugins (sessions, explore).
    const plugin = plugins.find(p => p.id === 'nbtrace:widget')!;
    expect(plugin).toBeDefined();
    expect(plugin.description).toBeTruthy();
    expect(plugin.requires).toEqual([IJupyterWidgetRegistry]);
    const registered: IWidgetRegistryData[] = [];
    const registry: IJupyterWidgetRegistry = { registerWidget: data => registered.push(data) };
    plugin.activate({} as JupyterFrontEnd, registry);
    expect(registered).toHaveLength(1);
    const [{ name, version, exports }] = registered;
    expect({ name, version }).toEqual({ name: 'nbtrace', version: MODULE_VERSION });
    expect(exports).toEqual({ TraceModel, TraceView: expect.any(Function) });
    // The registered view is TraceView with Explore buttons (explore/plugin.ts's command).
    const View = (exports as { TraceView: typeof TraceView }).TraceView;
    expect(View.prototype).toBeInstanceOf(TraceView);
  });
});
