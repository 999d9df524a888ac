import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OutputAreaModel } from '@jupyterlab/outputarea';
import { join } from 'path';
import { SNAPSHOT_MIME_TYPE, type RunStart } from '../protocol';
import { VIEW_METADATA_KEY as METADATA_KEY, WIDGET_MIME_TYPE, settleOrphanedTraces } from '../snapshot/orphanedTraces';
import {
  type ICellWithTraces,
  REBUILT_NOTE,
  fillFromStore,
  outputsToFill,
  rememberViews
} from '../snapshot/savedViews';
import { snapshotNotice } from '../snapshot/snapshotStore';
import { TraceModel } from '../widget/traceModel';
import { PROTOCOL_DIR, isoAt, makeStart, readJson, runsMessage } from './fixtures';
import { FakeComm, fakeManager } from './widgetTesting';

const validate = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson(join(PROTOCOL_DIR, 'schema.json')) as object);
})();

/** The kernel's copy from the cell's start: no runs, not final. */
const CELL_START_COPY = { protocol: 1, kind: 'snapshot', final: false, runs: [], run_count: 0, omitted_runs: 0 };

function traceOutput(modelId: string | null, final = false) {
  return {
    output_type: 'display_data',
    data: {
      ...(modelId !== null && { [WIDGET_MIME_TYPE]: { version_major: 2, version_minor: 0, model_id: modelId } }),
      [SNAPSHOT_MIME_TYPE]: { ...CELL_START_COPY, final },
      'text/html': '<div>saved by the kernel</div>',
      'text/plain': 'nbtrace: 0 runs'
    },
    metadata: {}
  };
}

/** A code cell as far as `savedViews` sees one, counting its metadata writes. */
function cellWith(outputs: OutputAreaModel): ICellWithTraces & { writes: number } {
  const metadata = new Map<string, unknown>();
  return {
    outputs,
    writes: 0,
    getMetadata: key => metadata.get(key),
    setMetadata(key, value) {
      this.writes++;
      metadata.set(key, JSON.parse(JSON.stringify(value)));
    },
    deleteMetadata(key) {
      this.writes++;
      metadata.delete(key);
    }
  };
}

/** Two traces of a cell, as the store gives them once they ended. */
function storedTraces(): Map<string, RunStart[]> {
  const first = makeStart(1, 0, null, { name: 'agent', end_time: isoAt(900), outputs: { answer: 42 } });
  const step = makeStart(2, 10, first, { name: 'tool', end_time: isoAt(800) });
  const second = makeStart(3, 1000, null, { name: 'agent', end_time: isoAt(1500) });
  return new Map([
    [first.trace_id, [first, step]],
    [second.trace_id, [second]]
  ]);
}

describe('the traces of trace views, kept in cell metadata as the notebook is saved', () => {
  let model: TraceModel;
  beforeEach(() => {
    jest.useFakeTimers();
    model = new TraceModel({}, { model_id: 'live-model', comm: new FakeComm(), widget_manager: fakeManager() });
  });
  afterEach(() => {
    model.trigger('destroy', model);
    jest.useRealTimers();
  });

  it('names the traces each live view shows, keeps them while its settled copy is unfinished, then forgets them', () => {
    const root = makeStart(1, 0, null);
    const second = makeStart(3, 50, null);
    model.store.apply(
      runsMessage([
        { op: 'start', run: root },
        { op: 'start', run: makeStart(2, 10, root) },
        { op: 'start', run: second }
      ])
    );
    model.store.flush();
    const outputs = new OutputAreaModel({ values: [traceOutput('live-model'), traceOutput('model-not-on-this-page')] });
    const cell = cellWith(outputs);
    cell.setMetadata(METADATA_KEY, { views: { 'model-not-on-this-page': ['recorded-by-another-page'] }, other: 1 });

    rememberViews(cell);
    expect(cell.getMetadata(METADATA_KEY)).toEqual({
      views: { 'live-model': [root.trace_id, second.trace_id], 'model-not-on-this-page': ['recorded-by-another-page'] },
      other: 1
    });
    const writes = cell.writes;
    rememberViews(cell);
    expect(cell.writes).toBe(writes); // unchanged: the notebook is not touched

    // The kernel went: the output is its unfinished saved copy, naming the view it was.
    expect(settleOrphanedTraces(outputs, id => id === 'live-model', { kernelWent: false })).toBe(1);
    rememberViews(cell);
    expect(outputsToFill(cell)).toEqual([{ index: 0, traceIds: [root.trace_id, second.trace_id] }]);

    outputs.set(0, traceOutput(null, true)); // rebuilt, or the cell ran again: a final copy
    outputs.set(1, traceOutput(null, true));
    rememberViews(cell);
    expect(cell.getMetadata(METADATA_KEY)).toEqual({ other: 1 });
    expect(outputsToFill(cell)).toEqual([]);
  });
});

describe('fillFromStore', () => {
  const traces = storedTraces();
  const asked: string[] = [];
  const load = (traceId: string) => {
    asked.push(traceId);
    const runs = traces.get(traceId);
    return runs ? Promise.resolve(runs) : Promise.reject(new Error('404: no trace'));
  };

  it("rebuilds an unfinished saved copy from the store's runs of the view's traces, and says how", async () => {
    const outputs = new OutputAreaModel({ values: [traceOutput(null)] });
    expect(await fillFromStore(outputs, 0, ['gone-from-the-store', ...traces.keys()], load)).toBe(true);
    expect(asked[0]).toBe([...traces.keys()][1]); // the newest first: a long loop keeps its latest traces
    const data = outputs.get(0).data;
    const snapshot = data[SNAPSHOT_MIME_TYPE] as any;
    expect(validate(snapshot)).toBe(true);
    expect(snapshot).toMatchObject({ final: true, run_count: 3, sessions: ['default'], note: REBUILT_NOTE });
    expect(snapshot.runs.map((run: RunStart) => run.name)).toEqual(['agent', 'tool', 'agent']);
    expect(snapshot.runs[0].outputs).toEqual({ answer: 42 });
    expect(snapshotNotice(snapshot)).toBe(REBUILT_NOTE);
    expect(data['text/plain']).toBe(
      'nbtrace: 2 traces, 3 runs (session default); rebuilt from the nbtrace store\n  agent [chain] ok\n  agent [chain] ok'
    );
    expect(data).not.toHaveProperty(['text/html']);
  });

  it('keeps the saved copy when the store has none of its traces, or the output changed meanwhile', async () => {
    const outputs = new OutputAreaModel({ values: [traceOutput(null)] });
    expect(await fillFromStore(outputs, 0, ['not-stored'], load)).toBe(false);
    expect(outputs.get(0).data[SNAPSHOT_MIME_TYPE]).toEqual(CELL_START_COPY);

    const loading = fillFromStore(outputs, 0, [...traces.keys()], load);
    outputs.set(0, { output_type: 'stream', name: 'stdout', text: 'the cell ran again\n' } as any);
    expect(await loading).toBe(false);
    expect(outputs.get(0).toJSON()).toMatchObject({ output_type: 'stream' });
  });
});
