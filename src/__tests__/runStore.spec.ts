import type { RunEvent } from '../protocol';
import { latencyUs, runStatus, tokenCounts } from '../store/run';
import { RunStore } from '../store/runStore';
import { RUN, isoAt, makeStart, runsExample, runsMessage } from './fixtures';

const live = [runsExample('runs-start.json'), runsExample('runs-end-and-error.json')];
const liveEvents: RunEvent[] = live.flatMap(m => [...m.events]);

/** The store's tree as nested [name, status, children] for comparison. */
function shape(store: RunStore, ids: readonly string[] = store.roots()): unknown[] {
  return ids.map(id => {
    const run = store.get(id)!;
    return [run.name, runStatus(run), shape(store, store.children(id))];
  });
}

const EXPECTED_TREE = [
  [
    'RunnableSequence',
    'error',
    [
      ['ChatPromptTemplate', 'ok', []],
      ['GenericFakeChatModel', 'ok', []],
      ['StrOutputParser', 'error', []]
    ]
  ]
];

/** A seeded shuffle, so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('RunStore', () => {
  it('builds the tree from the example messages in order', () => {
    const store = new RunStore();
    live.forEach(m => store.apply(m));
    expect(store.size).toBe(4);
    expect(store.roots()).toEqual([RUN.sequence]);
    expect(store.children(RUN.sequence)).toEqual([RUN.prompt, RUN.llm, RUN.parser]);
    expect(shape(store)).toEqual(EXPECTED_TREE);
    expect(store.runningCount).toBe(0);
    expect(store.errorCount).toBe(2);
    expect(store.sessions).toEqual(['default']);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('builds the same tree from shuffled events (seed %i)', seed => {
    const store = new RunStore();
    for (const event of shuffled(liveEvents, seed)) {
      store.apply(runsMessage([event]));
    }
    expect(shape(store)).toEqual(EXPECTED_TREE);
    expect(store.runningCount).toBe(0);
    expect(store.errorCount).toBe(2);
  });

  it('holds an end that arrives before its start', () => {
    const store = new RunStore();
    const end = liveEvents.find(e => e.op === 'end' && e.run.id === RUN.llm)!;
    const start = liveEvents.find(e => e.op === 'start' && e.run.id === RUN.llm)!;
    store.apply(runsMessage([end]));
    expect(store.size).toBe(0);
    store.apply(runsMessage([start]));
    expect(store.status(RUN.llm)).toBe('ok');
    expect(tokenCounts(store.get(RUN.llm)!)).toEqual({ prompt: 12, completion: 8, total: 20 });
  });

  it('shows a child whose parent has not arrived as a root, then moves it under the parent', () => {
    const store = new RunStore();
    const [parentStart, childStart] = liveEvents;
    store.apply(runsMessage([childStart]));
    expect(store.roots()).toEqual([RUN.prompt]);
    store.apply(runsMessage([parentStart]));
    expect(store.roots()).toEqual([RUN.sequence]);
    expect(store.children(RUN.sequence)).toEqual([RUN.prompt]);
  });

  it('does not duplicate runs when a replay follows live events', () => {
    const store = new RunStore();
    live.forEach(m => store.apply(m));
    store.apply(runsExample('runs-replay.json'));
    store.apply(runsExample('runs-replay.json'));
    live.forEach(m => store.apply(m));
    expect(store.size).toBe(4);
    expect(shape(store)).toEqual(EXPECTED_TREE);
    expect(store.errorCount).toBe(2);
    expect(store.runningCount).toBe(0);
    expect(store.sessions).toEqual(['default']);
  });

  it('keeps an ended run ended when a stale snapshot of it arrives later', () => {
    const store = new RunStore();
    live.forEach(m => store.apply(m));
    const staleStart = liveEvents.find(e => e.op === 'start' && e.run.id === RUN.llm)!;
    store.apply(runsMessage([staleStart], true));
    const llm = store.get(RUN.llm)!;
    expect(runStatus(llm)).toBe('ok');
    expect(llm.outputs).toBeTruthy();
    expect(llm.total_tokens).toBe(20);
  });

  it('takes a start that carries its end as a finished run', () => {
    const store = new RunStore();
    store.apply(runsExample('runs-start-ended.json'));
    const [root] = store.roots();
    const [prompt, llm] = store.children(root);
    expect(store.status(root)).toBe('running');
    expect(store.status(prompt)).toBe('ok');
    expect(latencyUs(store.get(prompt)!, 0)).toBe(400);
    expect(tokenCounts(store.get(llm)!)).toEqual({ prompt: 5, completion: 2, total: 7 });
    expect(store.runningCount).toBe(1);
  });

  it('fills in a run from a replay alone', () => {
    const store = new RunStore();
    store.apply(runsExample('runs-replay.json'));
    expect(store.roots()).toEqual([RUN.sequence]);
    expect(store.children(RUN.sequence)).toEqual([RUN.llm]);
    expect(store.status(RUN.sequence)).toBe('error');
  });

  it('derives status, latency and tokens', () => {
    const store = new RunStore();
    live.forEach(m => store.apply(m));
    const get = (id: string) => store.get(id)!;
    expect(latencyUs(get(RUN.prompt), 0)).toBe(400);
    expect(latencyUs(get(RUN.llm), 0)).toBe(248_000);
    expect(latencyUs(get(RUN.sequence), 0)).toBe(251_000);
    expect(tokenCounts(get(RUN.llm))).toEqual({ prompt: 12, completion: 8, total: 20 });
    expect(tokenCounts(get(RUN.prompt))).toBeNull();
    expect(get(RUN.parser).error).toContain('parse failed');
  });

  it('sums prompt and completion tokens when no total is given', () => {
    const store = new RunStore();
    const run = makeStart(1, 0, null, { run_type: 'llm' });
    store.applyStart(run);
    store.applyEnd({ id: run.id, end_time: isoAt(5), prompt_tokens: 3, completion_tokens: 4 });
    expect(tokenCounts(store.get(run.id)!)).toEqual({ prompt: 3, completion: 4, total: 7 });
  });

  it('measures a running run live against the kernel clock', () => {
    let now = Date.UTC(2026, 10, 24, 10, 0, 0) + 2_000; // browser clock 2 s ahead
    const store = new RunStore({ now: () => now });
    const run = makeStart(1, 0);
    store.applyStart(run);
    expect(store.status(run.id)).toBe('running');
    expect(store.runningCount).toBe(1);
    now += 1_500;
    expect(store.latencyUs(store.get(run.id)!)).toBe(1_500_000);
    store.applyEnd({ id: run.id, end_time: isoAt(1_234) });
    expect(store.status(run.id)).toBe('ok');
    expect(store.runningCount).toBe(0);
    now += 10_000;
    expect(store.latencyUs(store.get(run.id)!)).toBe(1_234_000);
  });

  it('lists the sessions seen, in order', () => {
    const store = new RunStore();
    store.applyStart(makeStart(1, 0));
    store.applyStart(makeStart(2, 10, null, { session_name: 'my_session' }));
    store.applyStart(makeStart(3, 20));
    expect(store.sessions).toEqual(['default', 'my_session']);
  });

  it('orders siblings by dotted_order whatever the arrival order', () => {
    const store = new RunStore();
    const root = makeStart(1, 0);
    const kids = [5, 1, 4, 2, 3].map(k => makeStart(10 + k, k, root));
    kids.forEach(k => store.applyStart(k));
    store.applyStart(root);
    expect(store.children(root.id).map(id => store.get(id)!.name)).toEqual([
      'run 11',
      'run 12',
      'run 13',
      'run 14',
      'run 15'
    ]);
  });

  it('fires changed once per frame, however many events arrive', () => {
    jest.useFakeTimers();
    try {
      const store = new RunStore();
      const fired = jest.fn();
      store.changed.connect(fired);
      live.forEach(m => store.apply(m));
      store.apply(runsExample('runs-replay.json'));
      expect(fired).not.toHaveBeenCalled();
      jest.advanceTimersByTime(50);
      expect(fired).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(50);
      expect(fired).toHaveBeenCalledTimes(1);
      store.applyStart(makeStart(99, 0));
      store.flush();
      expect(fired).toHaveBeenCalledTimes(2);
      store.flush();
      expect(fired).toHaveBeenCalledTimes(2);
      store.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes 100,000 runs', () => {
    const store = new RunStore();
    const root = makeStart(1, 0);
    store.applyStart(root);
    const events: RunEvent[] = [];
    for (let i = 0; i < 100_000; i++) {
      const run = makeStart(100 + i, 1 + i, root);
      events.push({ op: 'start', run });
      events.push({ op: 'end', run: { id: run.id, end_time: isoAt(2 + i) } });
    }
    store.apply(runsMessage(events));
    store.apply(runsMessage(events, true));
    expect(store.size).toBe(100_001);
    expect(store.children(root.id)).toHaveLength(100_000);
    expect(store.runningCount).toBe(1);
    const kids = store.children(root.id);
    expect(store.get(kids[0])!.name).toBe('run 100');
    expect(store.get(kids[99_999])!.name).toBe('run 100099');
  });
});

describe('streamed text', () => {
  it('grows while the LLM run streams and gives way to the outputs when it ends', () => {
    const store = new RunStore();
    store.apply(runsExample('runs-start.json'));
    store.apply(runsExample('runs-stream.json'));
    const llm = store.get(RUN.llm);
    expect(llm?.streamed).toBe('Why did the bear sit?');
    store.apply(runsExample('runs-end-and-error.json'));
    expect(store.get(RUN.llm)?.streamed).toBeUndefined();
    expect(store.get(RUN.llm)?.end_time).toBeTruthy();
  });

  it('ignores text for a run it has not received', () => {
    const store = new RunStore();
    store.apply(runsExample('runs-stream.json'));
    expect(store.size).toBe(0);
  });
});
