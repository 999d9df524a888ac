import { act } from 'react';
import { Trace } from '../components/Trace';
import { TraceTree } from '../components/TraceTree';
import { openRuns } from '../components/openRuns';
import { streamTail } from '../components/RunRow';
import { scrollTopToShow } from '../components/rowScroll';
import type { RunEvent } from '../protocol';
import { RunStore } from '../store/runStore';
import { isoAt, makeStart, runsExample, runsMessage } from './fixtures';
import { accessibleName, click, mount, press, rowNamed, rows, update } from './render';

beforeEach(() => openRuns.clear());

function exampleStore(...names: string[]): RunStore {
  const store = new RunStore();
  names.forEach(name => store.apply(runsExample(name)));
  store.flush();
  return store;
}

const LIVE = ['runs-start.json', 'runs-end-and-error.json'];

function toggleOf(row: HTMLElement): Element {
  const toggle = row.querySelector('.nbtrace-row__toggle--open, .nbtrace-row__toggle--closed');
  if (!toggle) {
    throw new Error('row has no toggle');
  }
  return toggle;
}

describe('TraceTree', () => {
  it('renders one row per top-level run, collapsed, as an ARIA tree', () => {
    const { container } = mount(<TraceTree store={exampleStore(...LIVE)} />);
    const tree = container.querySelector('[role="tree"]')!;
    expect(tree.getAttribute('aria-label')).toBeTruthy();
    const [root, ...others] = rows(container);
    expect(others).toHaveLength(0);
    expect(accessibleName(root)).toBe('RunnableSequence');
    expect(root.getAttribute('aria-level')).toBe('1');
    expect(root.getAttribute('aria-expanded')).toBe('false');
    expect(root.getAttribute('aria-setsize')).toBe('1');
    expect(root.getAttribute('aria-posinset')).toBe('1');
    expect(root.tabIndex).toBe(0);
    expect(root.textContent).toContain('chain');
  });

  it('shows nested runs when expanded, with levels and positions', () => {
    const { container } = mount(<TraceTree store={exampleStore(...LIVE)} />);
    click(toggleOf(rows(container)[0]));
    const all = rows(container);
    expect(all.map(accessibleName)).toEqual([
      'RunnableSequence',
      'ChatPromptTemplate',
      'GenericFakeChatModel',
      'StrOutputParser'
    ]);
    expect(all[0].getAttribute('aria-expanded')).toBe('true');
    for (const [i, child] of all.slice(1).entries()) {
      expect(child.getAttribute('aria-level')).toBe('2');
      expect(child.getAttribute('aria-posinset')).toBe(String(i + 1));
      expect(child.getAttribute('aria-setsize')).toBe('3');
      expect(child.hasAttribute('aria-expanded')).toBe(false);
      expect(child.querySelector('.nbtrace-row__toggle--closed')).toBeNull();
    }
    click(toggleOf(all[0]));
    expect(rows(container)).toHaveLength(1);
    expect(rows(container)[0].getAttribute('aria-expanded')).toBe('false');
  });

  it('moves the selection with the keyboard (roving tabindex)', () => {
    const { container } = mount(<TraceTree store={exampleStore(...LIVE)} />);
    const selected = (): string[] =>
      rows(container)
        .filter(r => r.getAttribute('aria-selected') === 'true')
        .map(accessibleName);
    const tabStops = (): string[] => rows(container).filter(r => r.tabIndex === 0).map(accessibleName);

    act(() => rows(container)[0].focus());
    expect(selected()).toEqual(['RunnableSequence']);

    const key = (k: string): void => press(document.activeElement as HTMLElement, k);
    key('ArrowRight'); // expands
    expect(rows(container)).toHaveLength(4);
    expect(selected()).toEqual(['RunnableSequence']);
    key('ArrowRight'); // first child
    expect(selected()).toEqual(['ChatPromptTemplate']);
    expect(accessibleName(document.activeElement as HTMLElement)).toBe('ChatPromptTemplate');
    key('ArrowDown');
    expect(selected()).toEqual(['GenericFakeChatModel']);
    key('End');
    expect(selected()).toEqual(['StrOutputParser']);
    key('ArrowDown'); // stays on the last row
    expect(selected()).toEqual(['StrOutputParser']);
    key('ArrowUp');
    expect(selected()).toEqual(['GenericFakeChatModel']);
    expect(tabStops()).toEqual(['GenericFakeChatModel']);
    key('ArrowLeft'); // to the parent
    expect(selected()).toEqual(['RunnableSequence']);
    expect(accessibleName(document.activeElement as HTMLElement)).toBe('RunnableSequence');
    key('ArrowLeft'); // collapses
    expect(rows(container)).toHaveLength(1);
    key('Enter'); // toggles
    expect(rows(container)).toHaveLength(4);
    key(' ');
    expect(rows(container)).toHaveLength(1);
    key('End');
    key('Home');
    expect(selected()).toEqual(['RunnableSequence']);
  });

  it('updates a running row in place when it ends', () => {
    const store = exampleStore('runs-start.json');
    const { container } = mount(<TraceTree store={store} />);
    click(toggleOf(rows(container)[0]));
    const llm = rowNamed(container, 'GenericFakeChatModel');
    const status = llm.querySelector('.nbtrace-status')!;
    expect(status.textContent).toBe('running');
    expect(status.querySelector('.nbtrace-spinner')).not.toBeNull();
    expect(llm.getAttribute('aria-describedby')).toBeTruthy();

    update(() => {
      store.apply(runsExample('runs-end-and-error.json'));
      store.flush();
    });
    const after = rowNamed(container, 'GenericFakeChatModel');
    expect(after).toBe(llm);
    expect(after.querySelector('.nbtrace-status')!.textContent).toBe('ok');
    expect(after.querySelector('.nbtrace-spinner')).toBeNull();
    const tokens = after.querySelector('.nbtrace-row__tokens')!;
    expect(tokens.textContent).toBe('20 tokens');
    expect(tokens.getAttribute('title')).toBe('12 prompt + 8 completion = 20 tokens');
    expect(after.querySelector('.nbtrace-row__latency')!.textContent).toBe('248 ms');
    // Runs that are not LLM runs show no token count.
    expect(rowNamed(container, 'ChatPromptTemplate').querySelector('.nbtrace-row__tokens')!.textContent).toBe('');
  });

  it('counts the latency of a running run up live', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 24, 10, 0, 0) });
    try {
      const store = new RunStore();
      const run = makeStart(1, 0, null, { name: 'slow chain' });
      store.applyStart(run);
      store.flush();
      const { container } = mount(<TraceTree store={store} />);
      const latency = (): string | null =>
        rows(container)[0].querySelector('.nbtrace-row__latency')!.textContent;
      expect(latency()).toBe('0 ms');
      act(() => {
        jest.advanceTimersByTime(1_500);
      });
      expect(latency()).toBe('1.50 s');
      update(() => {
        store.applyEnd({ id: run.id, end_time: isoAt(1_600) });
        store.flush();
      });
      expect(latency()).toBe('1.60 s');
      act(() => {
        jest.advanceTimersByTime(5_000);
      });
      expect(latency()).toBe('1.60 s');
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows an error row as an error, with the exception in its tooltip', () => {
    const { container } = mount(<TraceTree store={exampleStore(...LIVE)} />);
    click(toggleOf(rows(container)[0]));
    const parser = rowNamed(container, 'StrOutputParser');
    expect(parser.classList).toContain('nbtrace-row--error');
    const status = parser.querySelector('.nbtrace-status--error')!;
    expect(status.textContent).toBe('error');
    expect(status.getAttribute('title')).toBe("ValueError('parse failed')");
    expect(rowNamed(container, 'ChatPromptTemplate').querySelector('.nbtrace-status')!.textContent).toBe('ok');
  });

  it('renders run names as text, never as markup', () => {
    const store = new RunStore();
    const name = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    store.applyStart(makeStart(1, 0, null, { name }));
    store.flush();
    const { container } = mount(<Trace store={store} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(accessibleName(rows(container)[0])).toBe(name);
  });

  it('keeps the DOM bounded with 100,000 runs', () => {
    const store = new RunStore();
    const root = makeStart(1, 0, null, { name: 'agent' });
    const events: RunEvent[] = [{ op: 'start', run: root }];
    for (let i = 0; i < 100_000; i++) {
      const run = makeStart(100 + i, 1 + i, root, { name: `step ${i}` });
      events.push({ op: 'start', run }, { op: 'end', run: { id: run.id, end_time: isoAt(2 + i) } });
    }
    store.apply(runsMessage(events));
    store.flush();
    const { container } = mount(<TraceTree store={store} />);
    expect(rows(container)).toHaveLength(1);

    act(() => rows(container)[0].focus());
    press(rows(container)[0], 'ArrowRight');
    const tree = container.querySelector<HTMLElement>('[role="tree"]')!;
    expect(tree.style.height).toBe('360px');
    expect(rows(container).length).toBeGreaterThan(10);
    expect(rows(container).length).toBeLessThan(100);

    // Scroll to the middle: the rows there are rendered, still bounded.
    act(() => {
      Object.defineProperty(tree, 'scrollTop', { value: 50_000 * 24, writable: true, configurable: true });
      tree.dispatchEvent(new Event('scroll', { bubbles: true }));
    });
    expect(rows(container).length).toBeLessThan(100);
    expect(rows(container).map(accessibleName)).toContain('step 50000');

    // End goes to the last run.
    press(document.activeElement as HTMLElement, 'End');
    const last = document.activeElement as HTMLElement;
    expect(accessibleName(last)).toBe('step 99999');
    expect(last.getAttribute('aria-posinset')).toBe('100000');
    expect(last.getAttribute('aria-setsize')).toBe('100000');
    expect(rows(container).length).toBeLessThan(100);
  });

  it('is as tall as its rows when the trace is small', () => {
    const { container } = mount(<TraceTree store={exampleStore(...LIVE)} />);
    const tree = container.querySelector<HTMLElement>('[role="tree"]')!;
    expect(tree.style.height).toBe('24px');
    click(toggleOf(rows(container)[0]));
    expect(tree.style.height).toBe('96px');
  });

  it('a tree drawn again (a settled cell, a re-render) opens what was open', () => {
    const store = exampleStore(...LIVE);
    const first = mount(<TraceTree store={store} />);
    click(toggleOf(rows(first.container)[0]));
    first.unmount();
    const again = mount(<TraceTree store={exampleStore(...LIVE)} />);
    expect(rows(again.container)).toHaveLength(4);
  });

  it('keeps expansion per view', () => {
    const store = exampleStore(...LIVE);
    const a = mount(<TraceTree store={store} />);
    const b = mount(<TraceTree store={store} />);
    click(toggleOf(rows(a.container)[0]));
    expect(rows(a.container)).toHaveLength(4);
    expect(rows(b.container)).toHaveLength(1);
  });
});

describe('Trace', () => {
  it('says it is waiting while the store is empty', () => {
    const { container } = mount(<Trace store={new RunStore()} />);
    expect(container.textContent).toContain('Waiting for runs…');
    expect(container.querySelector('[role="tree"]')).toBeNull();
  });

  it('fills in live as runs arrive, with session and counts in the header', () => {
    const store = new RunStore();
    const { container } = mount(<Trace store={store} />);
    update(() => {
      store.apply(runsExample('runs-start.json'));
      store.flush();
    });
    const header = container.querySelector('.nbtrace-header')!;
    expect(header.textContent).toContain('session: default');
    expect(header.textContent).toContain('3 runs');
    expect(header.textContent).toContain('2 running');
    update(() => {
      store.apply(runsExample('runs-end-and-error.json'));
      store.flush();
    });
    expect(header.textContent).toContain('4 runs');
    expect(header.textContent).not.toContain('running');
    expect(header.textContent).toContain('2 errors');
    expect(rows(container).map(accessibleName)).toEqual(['RunnableSequence']);
  });

  it('names every session the traces went to', () => {
    const store = new RunStore();
    store.applyStart(makeStart(1, 0));
    store.applyStart(makeStart(2, 5, null, { session_name: 'my_session' }));
    store.flush();
    const { container } = mount(<Trace store={store} />);
    expect(container.querySelector('.nbtrace-header')!.textContent).toContain(
      'sessions: default, my_session'
    );
  });

  it('shows a notice readably', () => {
    const store = new RunStore();
    store.setNotice('nbtrace: the kernel speaks protocol 2, this extension speaks 1 — install matching versions');
    store.flush();
    const { container } = mount(<Trace store={store} />);
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe(
      'nbtrace: the kernel speaks protocol 2, this extension speaks 1 — install matching versions'
    );
    expect(container.textContent).not.toContain('Waiting for runs');
  });
});

describe('a streaming LLM run', () => {
  it('shows the tail of its output after its name while it runs, as text, and keeps its name as the accessible name', () => {
    const store = new RunStore();
    store.apply(runsExample('runs-start.json'));
    store.apply(runsExample('runs-stream.json'));
    store.flush();
    const { container } = mount(<TraceTree store={store} />);
    click(container.querySelector('.nbtrace-row__toggle--closed')!);
    const llm = rowNamed(container, 'GenericFakeChatModel');
    expect(accessibleName(llm)).toBe('GenericFakeChatModel');
    expect(llm.querySelector('.nbtrace-row__stream')?.textContent).toBe('Why did the bear sit?');
    update(() => {
      store.apply(runsExample('runs-end-and-error.json'));
      store.flush();
    });
    expect(rowNamed(container, 'GenericFakeChatModel').querySelector('.nbtrace-row__stream')).toBeNull();
  });

  it('keeps only the end of a long stream, on one line', () => {
    expect(streamTail('a\n  b')).toBe('a b');
    expect(streamTail('x'.repeat(150) + 'END')).toBe('…' + 'x'.repeat(97) + 'END');
  });
});

describe('scrolling a virtualized list to a row', () => {
  it('moves only as far as needed, up or down', () => {
    expect(scrollTopToShow(0, 24, 48, 96)).toBe(0);
    expect(scrollTopToShow(3, 24, 0, 96)).toBe(0);
    expect(scrollTopToShow(5, 24, 0, 96)).toBe(48);
  });
});
