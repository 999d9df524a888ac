import { act } from 'react';
import type { StoredRun } from '../api/types';
import { ExploreModel } from '../explore/exploreModel';
import { RunDetails, lacksPayloads } from '../explore/runDetails';
import { ExploreView } from '../explore/views/ExploreView';
import type { RunStart } from '../protocol';
import { mergeStart } from '../store/run';
import { langchainRuns, runNamed, storeOf, traceIdOf } from './exploreFixtures';
import { accessibleName, click, mount, rows } from './render';

const runs = langchainRuns();
const JOKE = traceIdOf(runs, 'RunnableSequence');

/** A run as a shared store's kernel sends it to views: no payloads. */
function withoutPayloads(run: RunStart): RunStart {
  return { ...run, inputs: undefined, outputs: undefined, extra: undefined, events: undefined };
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

describe('RunDetails', () => {
  it('loads the payloads a live record came without, once per state of the run', async () => {
    const full = runNamed(runs, 'GenericFakeChatModel');
    const light = mergeStart(undefined, withoutPayloads(full));
    expect(lacksPayloads(light)).toBe(true);
    const asked: string[] = [];
    const details = new RunDetails(async id => {
      asked.push(id);
      return full;
    });
    const first = details.resolve(light);
    expect(first).toMatchObject({ pending: true, error: null });
    expect(first.run.inputs).toBeUndefined();
    await settle();
    const loaded = details.resolve(light);
    expect(loaded.pending).toBe(false);
    expect(loaded.run.inputs).toEqual(full.inputs);
    expect(loaded.run.outputs).toEqual(full.outputs);
    expect(loaded.run.extra).toEqual(full.extra);
    // The same run object gives the same merged object (memoized views stay put).
    expect(details.resolve(light).run).toBe(loaded.run);
    expect(asked).toEqual([full.id]);
    // A run that has its payloads is left alone.
    const whole = mergeStart(undefined, full);
    expect(details.resolve(whole).run).toBe(whole);
    details.dispose();
  });

  it('asks again while the store has not caught up, and when the run ends', async () => {
    const full = runNamed(runs, 'StrOutputParser');
    const running = mergeStart(undefined, withoutPayloads({ ...full, end_time: null }));
    let calls = 0;
    const details = new RunDetails(
      async () => {
        calls++;
        if (calls === 1) {
          throw new Error('no run');
        }
        return calls === 2 ? { ...full, end_time: null, outputs: null } : full;
      },
      { retryMs: 0 }
    );
    details.resolve(running);
    await settle();
    await settle();
    expect(calls).toBe(2);
    const whileRunning = details.resolve(running);
    expect(whileRunning.pending).toBe(false);
    expect(whileRunning.run.inputs).toEqual(full.inputs);
    const ended = mergeStart(running, { ...withoutPayloads(full) });
    expect(details.resolve(ended).pending).toBe(true);
    await settle();
    expect(calls).toBe(3);
    expect(details.resolve(ended).run.outputs).toEqual(full.outputs);
    details.dispose();
  });

  it('gives up after a few tries and says why', async () => {
    const light = mergeStart(undefined, withoutPayloads(runNamed(runs, 'StrOutputParser')));
    let calls = 0;
    const details = new RunDetails(
      async () => {
        calls++;
        throw new Error('no run 0a5b');
      },
      { retryMs: 0, maxTries: 3 }
    );
    details.resolve(light);
    for (let i = 0; i < 5; i++) {
      await settle();
    }
    expect(calls).toBe(3);
    expect(details.resolve(light)).toMatchObject({ pending: false, error: 'no run 0a5b' });
    details.dispose();
  });
});

describe('ExploreView with a live store without payloads', () => {
  it('loads the selected run from the store, and shows it', async () => {
    const store = storeOf(runs.map(withoutPayloads));
    const byId = new Map<string, StoredRun>(runs.map(r => [r.id, r]));
    const model = new ExploreModel({
      traceId: JOKE,
      findLive: () => store,
      loadRun: async id => byId.get(id)!
    });
    const { container } = mount(<ExploreView model={model} />);
    const panel = (): HTMLElement => container.querySelector('[role="tabpanel"]')!;
    expect(panel().textContent).toContain('Loading inputs and outputs');
    await settle();
    expect(panel().textContent).toContain('Why did the bear sit? To rest.');
    click(rows(container).find(r => accessibleName(r) === 'GenericFakeChatModel')!);
    await settle();
    expect(container.querySelector('.nbtrace-msg--system')!.textContent).toContain('You are a comedian.');
    expect(container.querySelector('.nbtrace-msg--ai')!.textContent).toContain('Why did the bear sit? To rest.');
    act(() => model.dispose());
  });
});
