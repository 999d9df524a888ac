import { act } from 'react';
import { ExploreModel } from '../explore/exploreModel';
import { ExploreView } from '../explore/views/ExploreView';
import type { RunStart } from '../protocol';
import { LiveTraces } from '../store/liveTraces';
import { RunStore } from '../store/runStore';
import { langchainRuns, runNamed, storeOf, traceIdOf } from './exploreFixtures';
import { isoAt, makeStart } from './fixtures';
import { accessibleName, click, mount, press, rows, update } from './render';

const runs = langchainRuns();
const JOKE = traceIdOf(runs, 'RunnableSequence');
const FAILING = traceIdOf(runs, 'failing');

function liveModel(store: RunStore, traceId: string, runId?: string): ExploreModel {
  const model = new ExploreModel({ traceId, runId, findLive: () => store });
  afterEachDispose.push(model);
  return model;
}

const afterEachDispose: ExploreModel[] = [];
afterEach(() => {
  while (afterEachDispose.length > 0) {
    afterEachDispose.pop()!.dispose();
  }
});

function selectedRows(container: HTMLElement): string[] {
  return rows(container)
    .filter(r => r.getAttribute('aria-selected') === 'true')
    .map(accessibleName);
}

function detailName(container: HTMLElement): string {
  return container.querySelector('.nbtrace-detail__name')!.textContent!;
}

function buttonNamed(container: HTMLElement, text: string): HTMLButtonElement {
  const found = Array.from(container.querySelectorAll('button')).find(b => b.textContent?.trim() === text);
  if (!found) {
    throw new Error(`no button ${text}`);
  }
  return found;
}

describe('ExploreModel', () => {
  it('selects the root run by default, and any run on request', () => {
    const store = storeOf(runs);
    const model = liveModel(store, JOKE);
    expect(model.isLive).toBe(true);
    expect(model.title).toBe('RunnableSequence');
    expect(model.selectedId).toBe(JOKE);
    let changes = 0;
    model.changed.connect(() => changes++);
    const llm = runNamed(runs, 'GenericFakeChatModel').id;
    model.select(llm);
    expect(model.selectedRun!.name).toBe('GenericFakeChatModel');
    expect(changes).toBe(1);
    model.select(llm);
    expect(changes).toBe(1);
  });

  it('jumps to the deepest failed run', () => {
    const model = liveModel(storeOf(runs), FAILING);
    expect(model.jumpToFailure()).toBe(true);
    expect(model.selectedRun!.name).toBe('boom');
    const ok = liveModel(storeOf(runs), JOKE);
    expect(ok.jumpToFailure()).toBe(false);
  });

  it('loads a trace no live widget holds from the server, and can reload it', async () => {
    const calls: string[] = [];
    const model = new ExploreModel({
      traceId: JOKE,
      findLive: () => null,
      load: async traceId => {
        calls.push(traceId);
        return runs.filter(r => r.trace_id === traceId);
      }
    });
    afterEachDispose.push(model);
    expect(model.loadState).toBe('loading');
    await act(async () => {
      await Promise.resolve();
    });
    expect(calls).toEqual([JOKE]);
    expect(model.loadState).toBe('ready');
    expect(model.isLive).toBe(false);
    expect(model.canReload).toBe(true);
    expect(model.store.size).toBe(4);
    expect(model.title).toBe('RunnableSequence');
    await model.reload();
    expect(calls).toEqual([JOKE, JOKE]);
  });

  it('says why when the server cannot give the trace', async () => {
    const model = new ExploreModel({
      traceId: JOKE,
      load: () => Promise.reject(new Error('nbtrace: the server could not be reached'))
    });
    afterEachDispose.push(model);
    await act(async () => {
      await Promise.resolve();
    });
    expect(model.loadState).toBe('failed');
    expect(model.loadError).toBe('nbtrace: the server could not be reached');
    const { container } = mount(<ExploreView model={model} />);
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('could not be reached');
  });

  it('keeps its store when the notebook closes: the live store stops updating, nothing breaks', () => {
    const registry = new LiveTraces();
    const store = storeOf(runs);
    const registration = registry.register(store);
    expect(registry.find(JOKE)).toBe(store);
    const model = new ExploreModel({ traceId: JOKE, findLive: id => registry.find(id), load: async () => [] });
    afterEachDispose.push(model);
    const { container } = mount(<ExploreView model={model} />);
    expect(model.isLive).toBe(true);
    // The notebook closes: its widget model unregisters and disposes its store.
    update(() => {
      registration.dispose();
      store.dispose();
    });
    expect(registry.find(JOKE)).toBeNull();
    expect(model.isLive).toBe(false);
    expect(model.store).toBe(store);
    expect(model.title).toBe('RunnableSequence');
    act(() => model.select(runNamed(runs, 'StrOutputParser').id));
    expect(detailName(container)).toBe('StrOutputParser');
  });
});

describe('ExploreModel with a saved snapshot', () => {
  function frozenStore(): RunStore {
    const store = storeOf(runs.filter(r => r.trace_id === JOKE).slice(0, 2));
    store.freeze(Date.UTC(2026, 10, 25) * 1000);
    return store;
  }

  it('shows the snapshot at once, then the whole trace from the server', async () => {
    const snapshot = frozenStore();
    const model = new ExploreModel({
      traceId: JOKE,
      findLive: () => snapshot,
      load: async traceId => runs.filter(r => r.trace_id === traceId)
    });
    afterEachDispose.push(model);
    expect(model.store).toBe(snapshot);
    expect(model.isLive).toBe(false);
    expect(model.loadState).toBe('loading');
    await act(async () => {
      await Promise.resolve();
    });
    expect(model.store).not.toBe(snapshot);
    expect(model.store.size).toBe(4);
    expect(model.loadState).toBe('ready');
    expect(snapshot.isDisposed).toBe(false);
  });

  it('keeps the snapshot when the server cannot be reached', async () => {
    const snapshot = frozenStore();
    const model = new ExploreModel({
      traceId: JOKE,
      findLive: () => snapshot,
      load: () => Promise.reject(new Error('offline'))
    });
    afterEachDispose.push(model);
    await act(async () => {
      await Promise.resolve();
    });
    expect(model.store).toBe(snapshot);
    expect(model.loadState).toBe('ready');
    expect(model.loadError).toBeNull();
    expect(model.canReload).toBe(true);
  });
});

describe('LiveTraces', () => {
  it('prefers a live store over a saved snapshot of the same trace', () => {
    const registry = new LiveTraces();
    const live = storeOf(runs);
    const snapshot = storeOf(runs);
    snapshot.freeze(0);
    registry.register(live);
    registry.register(snapshot);
    expect(registry.find(JOKE)).toBe(live);
    live.dispose();
    expect(registry.find(JOKE)).toBe(snapshot);
  });

  it('finds the store holding a trace, newest first', () => {
    const registry = new LiveTraces();
    const older = storeOf(runs);
    const newer = storeOf(runs.filter(r => r.trace_id === JOKE));
    registry.register(older);
    const handle = registry.register(newer);
    expect(registry.find(JOKE)).toBe(newer);
    expect(registry.find(FAILING)).toBe(older);
    expect(registry.find('nope')).toBeNull();
    handle.dispose();
    expect(registry.find(JOKE)).toBe(older);
    expect(registry.size).toBe(1);
  });

  it('finds a trace by a top-level run when its root has not arrived', () => {
    const registry = new LiveTraces();
    const store = new RunStore();
    const child = runNamed(runs, 'ChatPromptTemplate');
    store.applyStart(child);
    registry.register(store);
    expect(registry.find(JOKE)).toBe(store);
  });
});

describe('ExploreView', () => {
  it("shows the trace's tree, expanded, with the selected run's details", () => {
    const model = liveModel(storeOf(runs), JOKE);
    const { container } = mount(<ExploreView model={model} />);
    expect(container.querySelector('.nbtrace-explore__title')!.textContent).toBe('RunnableSequence');
    expect(rows(container).map(accessibleName)).toEqual([
      'RunnableSequence',
      'ChatPromptTemplate',
      'GenericFakeChatModel',
      'StrOutputParser'
    ]);
    // Only this trace: the other traces of the store are not in the tree.
    expect(container.textContent).not.toContain('failing');
    expect(selectedRows(container)).toEqual(['RunnableSequence']);
    expect(detailName(container)).toBe('RunnableSequence');
    const tabs = Array.from(container.querySelectorAll('[role="tab"]')).map(t => t.textContent);
    expect(tabs).toEqual(['Overview', 'Inputs', 'Outputs', 'Events2', 'Metadata']);
    expect(container.querySelector('[role="tabpanel"]')!.textContent).toContain('Why did the bear sit? To rest.');
    // The timeline has one bar per run.
    expect(container.querySelectorAll('.nbtrace-timeline__bar')).toHaveLength(4);
  });

  it('moves the selection with the keyboard, and the details follow', () => {
    const model = liveModel(storeOf(runs), JOKE);
    const { container } = mount(<ExploreView model={model} />);
    act(() => rows(container)[0].focus());
    const key = (k: string): void => press(document.activeElement as HTMLElement, k);
    key('ArrowDown');
    expect(selectedRows(container)).toEqual(['ChatPromptTemplate']);
    expect(model.selectedRun!.name).toBe('ChatPromptTemplate');
    key('ArrowDown');
    expect(selectedRows(container)).toEqual(['GenericFakeChatModel']);
    expect(detailName(container)).toBe('GenericFakeChatModel');
    // An LLM run opens on its conversation.
    expect(container.querySelector('[role="tab"][aria-selected="true"]')!.textContent).toBe('Conversation');
    expect(container.querySelector('.nbtrace-msg--system')!.textContent).toContain('You are a comedian.');
    key('End');
    expect(selectedRows(container)).toEqual(['StrOutputParser']);
    key('Home');
    expect(selectedRows(container)).toEqual(['RunnableSequence']);
    key('ArrowUp');
    expect(selectedRows(container)).toEqual(['RunnableSequence']);
    expect(document.activeElement!.getAttribute('aria-selected')).toBe('true');
  });

  it('selects a run when its timeline bar is clicked, and reveals it in the tree', () => {
    const model = liveModel(storeOf(runs), JOKE);
    const { container } = mount(<ExploreView model={model} />);
    // Collapse the root, then pick a child in the timeline.
    act(() => rows(container)[0].focus());
    press(rows(container)[0], 'ArrowLeft');
    expect(rows(container)).toHaveLength(1);
    const bar = Array.from(container.querySelectorAll<HTMLElement>('.nbtrace-timeline__bar')).find(b =>
      b.getAttribute('aria-label')!.startsWith('StrOutputParser:')
    )!;
    click(bar);
    expect(model.selectedRun!.name).toBe('StrOutputParser');
    expect(rows(container)).toHaveLength(4);
    expect(selectedRows(container)).toEqual(['StrOutputParser']);
    expect(container.querySelector('.nbtrace-timeline__row--selected')!.textContent).toContain('StrOutputParser');
  });

  it('opens at a given run', () => {
    const model = liveModel(storeOf(runs), JOKE, runNamed(runs, 'GenericFakeChatModel').id);
    const { container } = mount(<ExploreView model={model} />);
    expect(selectedRows(container)).toEqual(['GenericFakeChatModel']);
  });

  it('marks the failed runs and jumps to the one that raised', () => {
    const model = liveModel(storeOf(runs), FAILING);
    const { container } = mount(<ExploreView model={model} />);
    const failing = rows(container).find(r => accessibleName(r) === 'failing')!;
    expect(failing.classList).toContain('nbtrace-row--error');
    expect(rows(container).find(r => accessibleName(r) === 'boom')!.classList).toContain('nbtrace-row--error');
    expect(container.querySelector('.nbtrace-explore__header')!.textContent).toContain('2 failed');
    // The root's overview shows the error briefly and where it came from.
    expect(container.querySelector('.nbtrace-error__type')!.textContent).toBe('ValueError');
    click(buttonNamed(container.querySelector('.nbtrace-explore__header')!, 'Jump to failing run'));
    expect(selectedRows(container)).toEqual(['boom']);
    expect(container.querySelector('[role="tab"][aria-selected="true"]')!.textContent).toBe('Error');
    const panel = container.querySelector('[role="tabpanel"]')!;
    expect(panel.querySelector('.nbtrace-error__message')!.textContent).toBe('parse failed: <b>bad</b>');
    expect(panel.querySelector('pre')!.textContent).toContain('raise ValueError("parse failed: <b>bad</b>")');
  });

  it('marks a run whose nested run failed even when it caught the error', () => {
    const store = new RunStore();
    const root = makeStart(1, 0, null, { name: 'with_fallback', end_time: isoAt(10) });
    const child = makeStart(2, 1, root, { name: 'flaky', end_time: isoAt(5), error: "ValueError('x')" });
    store.applyStart(root);
    store.applyStart(child);
    store.flush();
    const model = liveModel(store, root.trace_id);
    const { container } = mount(<ExploreView model={model} />);
    const row = rows(container).find(r => accessibleName(r) === 'with_fallback')!;
    expect(row.classList).toContain('nbtrace-row--failed-below');
    expect(row.classList).not.toContain('nbtrace-row--error');
  });

  it('follows a live trace as runs arrive', () => {
    const store = new RunStore();
    const root = makeStart(1, 0, null, { name: 'live chain' });
    store.applyStart(root);
    store.flush();
    const model = liveModel(store, root.trace_id);
    const { container } = mount(<ExploreView model={model} />);
    expect(container.querySelector('.nbtrace-explore__header')!.textContent).toContain('live');
    expect(rows(container)).toHaveLength(1);
    update(() => {
      store.applyStart(makeStart(2, 5, root, { name: 'step' }));
      store.flush();
    });
    expect(rows(container).map(accessibleName)).toEqual(['live chain', 'step']);
    expect(container.querySelectorAll('.nbtrace-timeline__bar')).toHaveLength(2);
  });

  it('renders a run whose output is markup as text: no element is created', () => {
    const store = new RunStore();
    const evil =
      '<img src=x onerror="window.__nbtrace_xss=1"><script>window.__nbtrace_xss=2</script><a href="javascript:window.__nbtrace_xss=3">x</a>';
    const root: RunStart = makeStart(1, 0, null, {
      name: evil,
      run_type: 'tool',
      end_time: isoAt(3),
      inputs: { [evil]: evil },
      outputs: { output: evil, nested: { deeper: evil } },
      tags: [evil],
      extra: { metadata: { note: evil } }
    });
    store.applyStart(root);
    store.flush();
    const model = liveModel(store, root.trace_id);
    const { container } = mount(<ExploreView model={model} />);
    const check = (): void => {
      expect(container.querySelector('img')).toBeNull();
      expect(container.querySelector('script')).toBeNull();
      expect(container.querySelector('a')).toBeNull();
      expect(container.querySelector('[href]')).toBeNull();
      expect(container.querySelector('[onerror]')).toBeNull();
    };
    check();
    expect(container.querySelector('[role="tabpanel"]')!.textContent).toContain(evil);
    for (const tab of Array.from(container.querySelectorAll<HTMLElement>('[role="tab"]'))) {
      click(tab);
      check();
    }
    expect(Reflect.get(window, '__nbtrace_xss')).toBeUndefined();
  });
});
