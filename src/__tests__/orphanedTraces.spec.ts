import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OutputAreaModel } from '@jupyterlab/outputarea';
import { join } from 'path';
import { INTERRUPTED_ERROR, SNAPSHOT_MIME_TYPE, type RunStart } from '../protocol';
import { interruptOpenRuns, snapshotFromStore } from '../snapshot/fromStore';
import { WIDGET_MIME_TYPE, settleOrphanedTraces } from '../snapshot/orphanedTraces';
import { RunStore } from '../store/runStore';
import { formatTimeUs, parseTimeUs } from '../store/time';
import { TraceModel } from '../widget/traceModel';
import { PROTOCOL_DIR, isoAt, makeStart, readJson, runsMessage, uuid } from './fixtures';
import { FakeComm, fakeManager } from './widgetTesting';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(readJson(join(PROTOCOL_DIR, 'schema.json')) as object);

const T0 = parseTimeUs(isoAt(0)) as number;

/** A page clock, in ms, that a test moves by hand. */
function pageClock(atMs: number): { ms: number; now: () => number } {
  const clock = { ms: atMs, now: () => clock.ms };
  return clock;
}

/** A chain cut off mid-run: run 2 ended, run 3 and its child 4 still running under root 1. */
function cutOffTrace(store: RunStore): RunStart[] {
  const root = makeStart(1, 0, null, { name: 'agent' });
  const done = makeStart(2, 10, root, { name: 'plan' });
  const slow = makeStart(3, 60, root, { name: 'slow_tool' });
  const inner = makeStart(4, 70, slow, { name: 'inner' });
  store.apply(
    runsMessage([
      { op: 'start', run: root },
      { op: 'start', run: done },
      { op: 'end', run: { id: done.id, end_time: isoAt(50), outputs: { output: 'ok' } } },
      { op: 'start', run: slow },
      { op: 'start', run: inner }
    ])
  );
  store.flush();
  return [root, done, slow, inner];
}

describe('a trace whose kernel went away', () => {
  it('ends its open runs as interrupted when the page saw the kernel go, on the kernel clock', () => {
    // The page's clock runs 25 ms ahead of the kernel's: run 4 arrives 25 ms after it started.
    const clock = pageClock(T0 / 1000 + 70 + 25);
    const store = new RunStore({ now: clock.now });
    const [root, done, slow, inner] = cutOffTrace(store);
    expect(store.runningCount).toBe(3);

    clock.ms += 12_345; // the kernel goes away 12.345 s later
    expect(interruptOpenRuns(store)).toBe(3);

    expect(store.runningCount).toBe(0);
    for (const run of [root, slow, inner]) {
      expect(store.status(run.id)).toBe('error');
      expect(store.get(run.id)).toMatchObject({ error: INTERRUPTED_ERROR });
      expect(store.get(run.id)?.endUs).toBe(T0 + (70 + 12_345) * 1000);
    }
    expect(store.latencyUs(store.get(inner.id)!)).toBe(12_345_000);
    expect(store.get(done.id)).toMatchObject({ end_time: isoAt(50), outputs: { output: 'ok' } });
    expect(store.get(done.id)?.error ?? null).toBeNull();
    expect(interruptOpenRuns(store)).toBe(0);
  });

  it('keeps the text a model call had streamed as the outputs of a generation cut short', () => {
    const store = new RunStore({ now: pageClock(T0 / 1000 + 100).now });
    const [, , slow] = cutOffTrace(store);
    const llm = makeStart(5, 80, slow, { name: 'ChatModel', run_type: 'llm' });
    store.apply(
      runsMessage([
        { op: 'start', run: llm },
        { op: 'stream', run: { id: llm.id, text: 'The answer' } },
        { op: 'stream', run: { id: llm.id, text: ' is' } }
      ])
    );
    store.flush();
    interruptOpenRuns(store);
    expect(store.get(llm.id)).toMatchObject({
      error: INTERRUPTED_ERROR,
      outputs: { generations: [[{ text: 'The answer is', type: 'Generation' }]] }
    });
    expect(store.get(llm.id)?.streamed).toBeUndefined();
    expect(store.get(slow.id)?.outputs ?? null).toBeNull();
  });

  it('never ends a run before a time its trace has seen, however late the page saw it', () => {
    const clock = pageClock(T0 / 1000 + 70); // run 4 arrives the moment it starts
    const store = new RunStore({ now: clock.now });
    const [, , slow] = cutOffTrace(store);
    store.apply(runsMessage([{ op: 'end', run: { id: uuid(4), end_time: isoAt(900) } }])); // ends "in the future"
    interruptOpenRuns(store);
    expect(store.get(slow.id)?.endUs).toBe(T0 + 900 * 1000);
  });

  it('is saved as a snapshot the schema accepts: runs in tree order, bounded, nothing the store derived', () => {
    const store = new RunStore();
    cutOffTrace(store);
    store.apply(runsMessage([{ op: 'start', run: makeStart(5, 100, null, { name: 'second', session_name: 'evals' }) }]));
    interruptOpenRuns(store);

    const snapshot = snapshotFromStore(store, { now: new Date(Date.UTC(2026, 11, 7, 18, 0, 0)) });
    expect(validate(snapshot)).toBe(true);
    expect(snapshot).toMatchObject({
      kind: 'snapshot',
      final: true,
      created: '2026-12-07T18:00:00.000Z',
      sessions: ['default', 'evals'],
      run_count: 5,
      omitted_runs: 0
    });
    expect(snapshot.runs.map(run => run.name)).toEqual(['agent', 'plan', 'slow_tool', 'inner', 'second']);
    expect(Object.keys(snapshot.runs[0])).not.toEqual(expect.arrayContaining(['startUs']));
    expect(snapshot.runs[0]).not.toHaveProperty('endUs');

    const bounded = snapshotFromStore(store, { maxRuns: 2 });
    expect(bounded.runs.map(run => run.id)).toEqual([uuid(1), uuid(2)]);
    expect(bounded).toMatchObject({ run_count: 5, omitted_runs: 3 });
    expect(validate(bounded)).toBe(true);
  });

  it('keeps payloads, errors and events within the bounds the kernel keeps them in (a store in memory sends them all)', () => {
    const store = new RunStore();
    const root = makeStart(1, 0, null, { inputs: { question: 'short' } });
    const llm = makeStart(2, 10, root, {
      run_type: 'llm',
      inputs: { prompt: 'x'.repeat(10_000) },
      events: [
        { name: 'start', time: isoAt(10) },
        { name: 'new_token', time: isoAt(11), kwargs: { token: 'a' } },
        { name: 'retry', time: isoAt(12) }
      ]
    });
    store.apply(
      runsMessage([
        { op: 'start', run: root },
        { op: 'start', run: llm },
        { op: 'end', run: { id: llm.id, end_time: isoAt(20), error: 'E'.repeat(5000) } }
      ])
    );

    const snapshot = snapshotFromStore(store);
    expect(validate(snapshot)).toBe(true);
    expect(snapshot.field_limit).toBe(4000);
    const [savedRoot, savedLlm] = snapshot.runs;
    expect(savedRoot.inputs).toEqual({ question: 'short' });
    expect(savedLlm.inputs).toMatchObject({ __nbtrace__: 'truncated', size: 10_013 }) // {"prompt":"x…"};
    expect(String((savedLlm.inputs as any).preview)).toHaveLength(3800);
    expect(savedLlm.error).toMatch(/^E{4000}… \[truncated by nbtrace: 5,000 characters in all\]$/);
    expect(savedLlm.events).toEqual([{ name: 'retry', time: isoAt(12) }]);
  });
});

describe('settleOrphanedTraces', () => {
  const kernelSnapshot = { protocol: 1, kind: 'snapshot', final: false, runs: [], run_count: 0, omitted_runs: 0 };

  function traceOutput(modelId: string) {
    return {
      output_type: 'display_data',
      data: {
        [WIDGET_MIME_TYPE]: { version_major: 2, version_minor: 0, model_id: modelId },
        [SNAPSHOT_MIME_TYPE]: kernelSnapshot,
        'text/html': '<div>saved by the kernel</div>',
        'text/plain': 'nbtrace: 0 runs'
      },
      metadata: {}
    };
  }

  let model: TraceModel;
  beforeEach(() => {
    jest.useFakeTimers();
    model = new TraceModel({}, { model_id: 'live-model', comm: new FakeComm(), widget_manager: fakeManager() });
    cutOffTrace(model.store);
  });
  afterEach(() => {
    model.trigger('destroy', model);
    jest.useRealTimers();
  });

  it("turns a gone widget's output into its saved trace, rebuilt from the page's runs", () => {
    const outputs = new OutputAreaModel({
      values: [
        { output_type: 'stream', name: 'stdout', text: 'hello\n' },
        traceOutput('live-model'),
        traceOutput('model-of-another-page')
      ]
    });

    expect(settleOrphanedTraces(outputs, () => true, { kernelWent: true })).toBe(2);

    expect(outputs.get(0).toJSON()).toMatchObject({ output_type: 'stream', text: 'hello\n' });
    const rebuilt = outputs.get(1).data;
    expect(rebuilt).not.toHaveProperty([WIDGET_MIME_TYPE]);
    expect(rebuilt).not.toHaveProperty(['text/html']); // the kernel's, of its empty copy
    expect(rebuilt['text/plain']).toBe(
      'nbtrace: 1 trace, 4 runs (session default); its kernel went away before the end\n  agent [chain] error'
    );
    const snapshot = rebuilt[SNAPSHOT_MIME_TYPE] as any;
    expect(validate(snapshot)).toBe(true);
    expect(snapshot).toMatchObject({ final: true, run_count: 4 });
    expect(snapshot.runs.filter((run: RunStart) => run.error === INTERRUPTED_ERROR)).toHaveLength(3);
    // the page's own view of the trace (Explore reads it) no longer shows runs running
    expect(model.store.runningCount).toBe(0);

    const kept = outputs.get(2).data;
    expect(kept).not.toHaveProperty([WIDGET_MIME_TYPE]);
    expect(kept[SNAPSHOT_MIME_TYPE]).toEqual(kernelSnapshot);
  });

  it('leaves a view whose widget still lives as it is', () => {
    const outputs = new OutputAreaModel({ values: [traceOutput('live-model')] });
    expect(settleOrphanedTraces(outputs, modelId => modelId !== 'live-model', { kernelWent: true })).toBe(0);
    expect(outputs.get(0).data).toHaveProperty([WIDGET_MIME_TYPE]);
    expect(model.store.runningCount).toBe(3);
  });

  it("keeps an earlier kernel's saved copy, and its runs, when only the widget is gone", () => {
    const outputs = new OutputAreaModel({ values: [traceOutput('live-model')] });
    expect(settleOrphanedTraces(outputs, () => true, { kernelWent: false })).toBe(1);
    expect(outputs.get(0).data).not.toHaveProperty([WIDGET_MIME_TYPE]);
    expect(outputs.get(0).data[SNAPSHOT_MIME_TYPE]).toEqual(kernelSnapshot);
    expect(outputs.get(0).data['text/html']).toBe('<div>saved by the kernel</div>');
    expect(model.store.runningCount).toBe(3);
  });

  it("keeps the kernel's final copy of a trace that had ended (it has the payloads)", () => {
    interruptOpenRuns(model.store); // every run has ended
    const finalCopy = { ...kernelSnapshot, final: true, run_count: 4 };
    const output = traceOutput('live-model');
    output.data[SNAPSHOT_MIME_TYPE] = finalCopy;
    const outputs = new OutputAreaModel({ values: [output] });
    expect(settleOrphanedTraces(outputs, () => true, { kernelWent: true })).toBe(1);
    expect(outputs.get(0).data[SNAPSHOT_MIME_TYPE]).toEqual(finalCopy);
  });
});

describe('formatTimeUs', () => {
  it('writes microseconds as the kernel does, and parseTimeUs reads them back', () => {
    const us = Date.UTC(2026, 11, 7, 18, 0, 1, 234) * 1000 + 567;
    expect(formatTimeUs(us)).toBe('2026-12-07T18:00:01.234567Z');
    expect(parseTimeUs(formatTimeUs(us))).toBe(us);
    expect(formatTimeUs(Date.UTC(2026, 0, 1) * 1000 + 5)).toBe('2026-01-01T00:00:00.000005Z');
  });
});
