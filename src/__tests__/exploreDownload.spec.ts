import { readFileSync } from 'fs';
import { join } from 'path';
import { RUN_FIELDS, downloadName, toJsonLines } from '../explore/download';
import { ExploreModel } from '../explore/exploreModel';
import { langchainRuns, storeOf } from './exploreFixtures';

/** The Python side's field list, read from sdk/nbtrace/export.py: both must agree. */
function pythonRunFields(): string[] {
  const source = readFileSync(join(__dirname, '..', '..', 'sdk', 'nbtrace', 'export.py'), 'utf-8');
  const block = /RUN_FIELDS = \(([\s\S]*?)\)/.exec(source)?.[1] ?? '';
  return [...block.matchAll(/"([a-z_]+)"/g)].map(m => m[1]);
}

describe('Download trace', () => {
  it('writes the fields of nbtrace export, in its order, one run per line', () => {
    expect([...RUN_FIELDS]).toEqual(pythonRunFields());
    const runs = langchainRuns();
    const lines = toJsonLines(runs).trimEnd().split('\n');
    expect(lines).toHaveLength(runs.length);
    const first = JSON.parse(lines[0]);
    expect(Object.keys(first)).toEqual([...RUN_FIELDS]);
    expect(first.id).toBe(runs[0].id);
  });

  it('takes the whole trace from the server when it answers, else what the panel holds', async () => {
    const runs = langchainRuns();
    const traceId = runs[0].trace_id;
    const store = storeOf(runs);
    const served = new ExploreModel({ traceId, findLive: () => store, load: async () => runs.slice(0, 1) });
    expect(await served.runsForDownload()).toHaveLength(1);
    const offline = new ExploreModel({
      traceId,
      findLive: () => store,
      load: async () => {
        throw new Error('no server');
      }
    });
    const held = await offline.runsForDownload();
    expect(held.length).toBe(runs.filter(r => r.trace_id === traceId).length);
    served.dispose();
    offline.dispose();
  });

  it('names the file after the root run, safely', () => {
    expect(downloadName('<img src=x>/../agent', '0123456789abcdef')).toBe('img_src_x_agent-01234567.jsonl');
    expect(downloadName(undefined, 'abcdef0123')).toBe('trace-abcdef01.jsonl');
  });
});
