import { Widget } from '@lumino/widgets';
import type { IExploreArgs } from '../commandIds';
import { act } from 'react';
import { ExplorePanel } from '../explore/explorePanel';
import { type IExploreShell, ExploreOpener } from '../explore/opener';
import { exploreArgs, explorePlugin } from '../explore/plugin';
import plugins from '../index';
import { LiveTraces } from '../store/liveTraces';
import { langchainRuns, runNamed, storeOf, traceIdOf } from './exploreFixtures';
import './render';

/** A shell that records what is added where. */
class FakeShell implements IExploreShell {
  added: { widget: Widget; area: string; options: { mode: string; ref: string | null } }[] = [];
  activated: string[] = [];
  currentWidget: Widget | null = null;

  add(widget: Widget, area: 'main', options: { mode: 'split-right' | 'tab-after'; ref: string | null }): void {
    this.added.push({ widget, area, options });
    Widget.attach(widget, document.body);
  }

  activateById(id: string): void {
    this.activated.push(id);
    this.currentWidget = this.added.find(a => a.widget.id === id)?.widget ?? null;
  }
}

/** Open a panel, letting React render it. */
function openIn(opener: ExploreOpener, args: IExploreArgs): ExplorePanel {
  let panel: ExplorePanel | null = null;
  act(() => {
    panel = opener.open(args);
  });
  return panel!;
}

describe('explore plugin', () => {
  it('is assembled in index.ts with an id and a description', () => {
    expect(plugins).toContain(explorePlugin);
    expect(explorePlugin.id).toBe('nbtrace:explore');
    expect(explorePlugin.description).toBeTruthy();
  });

  it('reads the command arguments', () => {
    expect(exploreArgs({ traceId: 't', runId: 'r' })).toEqual({ traceId: 't', runId: 'r' });
    expect(exploreArgs({ traceId: 't' })).toEqual({ traceId: 't' });
    expect(exploreArgs({ traceId: 't', runId: '' })).toEqual({ traceId: 't' });
    expect(exploreArgs({})).toBeNull();
    expect(exploreArgs({ traceId: 3 })).toBeNull();
  });
});

describe('ExploreOpener', () => {
  const runs = langchainRuns();
  const JOKE = traceIdOf(runs, 'RunnableSequence');

  it('opens one panel per trace, split right, and focuses it again when asked twice', () => {
    const shell = new FakeShell();
    const registry = new LiveTraces();
    const store = storeOf(runs);
    registry.register(store);
    const tracked: ExplorePanel[] = [];
    const opener = new ExploreOpener({
      shell,
      findLive: id => registry.find(id),
      load: () => Promise.resolve([]),
      onPanel: panel => tracked.push(panel)
    });
    const notebook = new Widget();
    notebook.id = 'notebook-1';
    shell.currentWidget = notebook;

    const panel = openIn(opener, { traceId: JOKE });
    expect(shell.added).toHaveLength(1);
    // (Widgets are compared by identity: their object graphs are large.)
    expect(shell.added[0].widget).toBe(panel);
    expect(shell.added[0].area).toBe('main');
    expect(shell.added[0].options).toEqual({ mode: 'split-right', ref: 'notebook-1' });
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toBe(panel);
    expect(panel).toBeInstanceOf(ExplorePanel);
    expect(panel.title.label).toBe('RunnableSequence');
    expect(panel.title.closable).toBe(true);
    expect(panel.model.isLive).toBe(true);
    expect(shell.activated).toEqual([panel.id]);
    expect(panel.node.querySelector('[role="tree"]')).not.toBeNull();

    // Asked again for the same trace, at another run: the same panel, that run.
    const llm = runNamed(runs, 'GenericFakeChatModel').id;
    shell.currentWidget = notebook;
    expect(openIn(opener, { traceId: JOKE, runId: llm })).toBe(panel);
    expect(shell.added).toHaveLength(1);
    expect(shell.activated).toEqual([panel.id, panel.id]);
    expect(panel.model.selectedId).toBe(llm);

    // Another trace, opened while an Explore panel is current: a tab beside it.
    const failing = openIn(opener, { traceId: traceIdOf(runs, 'failing') });
    expect(shell.added[1].options).toEqual({ mode: 'tab-after', ref: panel.id });
    expect(failing.title.label).toBe('failing');

    // Closing a panel disposes its model, not the live store; reopening makes a new one.
    act(() => panel.dispose());
    expect(panel.model.isDisposed).toBe(true);
    expect(store.isDisposed).toBe(false);
    expect(opener.find(JOKE)).toBeUndefined();
    const again = openIn(opener, { traceId: JOKE });
    expect(again).not.toBe(panel);
    act(() => shell.added.forEach(a => a.widget.dispose()));
  });

  it('titles a panel whose trace is still loading, then with its root', async () => {
    const shell = new FakeShell();
    let resolve: (value: typeof runs) => void = () => undefined;
    const opener = new ExploreOpener({
      shell,
      findLive: () => null,
      load: () => new Promise(r => (resolve = r))
    });
    const panel = openIn(opener, { traceId: JOKE });
    expect(panel.title.label).toBe(`Trace ${JOKE.slice(0, 8)}`);
    expect(panel.node.textContent).toContain('Loading the trace');
    await act(async () => {
      resolve(runs.filter(r => r.trace_id === JOKE));
      await Promise.resolve();
    });
    expect(panel.title.label).toBe('RunnableSequence');
    act(() => panel.dispose());
  });
});
