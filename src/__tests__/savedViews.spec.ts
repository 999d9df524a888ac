import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OutputAreaModel } from '@jupyterlab/outputarea';
import { join } from 'path';
import { SNAPSHOT_MIME_TYPE, type RunStart } from '../protocol';
import { WIDGET_MIME_TYPE } from '../snapshot/orphanedTraces';
import { type ICellWithTraces, METADATA_KEY, fillFromStore, rememberViews, rememberedTraceIds } from '../snapshot/savedViews';
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

function traceOutput(modelId: string | null) {
  return {
    output_type: 'display_data',
    data: {
      ...(modelId !== null && { [WIDGET_MIME_TYPE]: { version_major: 2, version_minor: 0, model_id: modelId } }),
      [SNAPSHOT_MIME_TYPE]: CELL_START_COPY,
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

describe('the traces of live views, kept in cell metadata as the notebook is saved', () => {
  let model: TraceModel;
  beforeEach(() => {
    jest.useFakeTimers();
    model = new TraceModel({}, { model_id: 'live-model', comm: new FakeComm(), widget_manager: fakeManager() });
  });
  afterEach(() => {
    model.trigger('destroy', model);
    jest.useRealTimers();
  });

  it('names the traces each live view shows, and forgets them once no view is live', () => {
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

    rememberViews(cell);
    expect(cell.getMetadata(METADATA_KEY)).toEqual({ views: { 'live-model': [root.trace_id, second.trace_id] } });
    expect(rememberedTraceIds(cell, 'live-model')).toEqual([root.trace_id, second.trace_id]);
    expect(rememberedTraceIds(cell, 'model-not-on-this-page')).toEqual([]);
    rememberViews(cell);
    expect(cell.writes).toBe(1); // unchanged: the notebook is not touched

    outputs.set(0, traceOutput(null)); // the cell ended: its output is the saved trace alone
    rememberViews(cell);
    expect(cell.getMetadata(METADATA_KEY)).toBeUndefined();
  });
});

describe('fillFromStore', () => {
  const traces = storedTraces();
  const load = (traceId: string) => {
    const runs = traces.get(traceId);
    return runs ? Promise.resolve(runs) : Promise.reject(new Error('404: no trace'));
  };

  it("rebuilds an unfinished saved copy from the store's runs of the view's traces", async () => {
    const outputs = new OutputAreaModel({ values: [traceOutput(null)] });
    expect(await fillFromStore(outputs, 0, [...traces.keys(), 'gone-from-the-store'], load)).toBe(true);
    const data = outputs.get(0).data;
    const snapshot = data[SNAPSHOT_MIME_TYPE] as any;
    expect(validate(snapshot)).toBe(true);
    expect(snapshot).toMatchObject({ final: true, run_count: 3, sessions: ['default'] });
    expect(snapshot.runs.map((run: RunStart) => run.name)).toEqual(['agent', 'tool', 'agent']);
    expect(snapshot.runs[0].outputs).toEqual({ answer: 42 });
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
