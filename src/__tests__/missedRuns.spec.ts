import type { RunsMessage } from '../protocol';
import { missesEarlierRuns } from '../widget/missedRuns';
import { RUN, runsExample } from './fixtures';

describe('a live message that shows the view missed earlier runs', () => {
  const none = (): boolean => false;

  it('is not the first message of a trace, which starts at its root', () => {
    expect(missesEarlierRuns(runsExample('runs-start.json'), none)).toBe(false);
  });

  it('ends or streams a run the view never saw start', () => {
    expect(missesEarlierRuns(runsExample('runs-end-and-error.json'), none)).toBe(true);
    expect(missesEarlierRuns(runsExample('runs-stream.json'), none)).toBe(true);
    expect(missesEarlierRuns(runsExample('runs-stream.json'), id => id === RUN.llm)).toBe(false);
  });

  it('starts a child of a parent the view never saw', () => {
    const start = runsExample('runs-start.json');
    const childOnly: RunsMessage = { ...start, events: start.events.slice(1) };
    expect(missesEarlierRuns(childOnly, none)).toBe(true);
    expect(missesEarlierRuns(childOnly, id => id === RUN.sequence)).toBe(false);
  });
});
