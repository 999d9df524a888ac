import { act } from 'react';
import type { IExploreArgs } from '../commandIds';
import { Trace } from '../components/Trace';
import { TraceTree } from '../components/TraceTree';
import type { Run } from '../store/run';
import { TraceModel } from '../widget/traceModel';
import { TraceView, traceViewWithExplore } from '../widget/traceView';
import { liveTraces } from '../store/liveTraces';
import { langchainRuns, storeOf } from './exploreFixtures';
import { PROTOCOL_DIR, RUN, readJson } from './fixtures';
import { accessibleName, click, mount, press, rows } from './render';
import { FakeComm, fakeManager } from './widgetTesting';
import { join } from 'path';

const runs = langchainRuns();

function exploreButtons(container: HTMLElement): HTMLButtonElement[] {
  return Array.from(container.querySelectorAll<HTMLButtonElement>('button.nbtrace-row__explore'));
}

describe('the Explore button of inline rows', () => {
  it('is a real button named after the run, on every row', () => {
    const opened: string[] = [];
    const onExplore = (run: Run): void => void opened.push(run.name);
    const { container } = mount(<Trace store={storeOf(runs)} onExplore={onExplore} />);
    const buttons = exploreButtons(container);
    expect(buttons.map(b => b.getAttribute('aria-label'))).toEqual([
      'Explore RunnableSequence',
      'Explore failing',
      'Explore agent',
      'Explore FakeListLLM'
    ]);
    expect(buttons.every(b => b.type === 'button')).toBe(true);
    // The row's accessible name stays the run name.
    expect(accessibleName(rows(container)[0])).toBe('RunnableSequence');
    click(buttons[1]);
    expect(opened).toEqual(['failing']);
    // Clicking Explore does not toggle the row.
    expect(rows(container)[1].getAttribute('aria-expanded')).toBe('false');
  });

  it('only the focused row’s button is in the tab order; keys keep working', () => {
    const opened: string[] = [];
    const { container } = mount(<TraceTree store={storeOf(runs)} onExplore={run => opened.push(run.id)} />);
    const tabStops = (): string[] =>
      exploreButtons(container)
        .filter(b => b.tabIndex === 0)
        .map(b => b.getAttribute('aria-label')!);
    expect(tabStops()).toEqual(['Explore RunnableSequence']);
    act(() => rows(container)[0].focus());
    press(rows(container)[0], 'ArrowDown');
    expect(tabStops()).toEqual(['Explore failing']);
    // From the button, arrows still move through the tree; Enter belongs to the button.
    const button = exploreButtons(container)[1];
    act(() => button.focus());
    press(button, 'Enter');
    expect(rows(container)[1].getAttribute('aria-expanded')).toBe('false');
    press(button, 'ArrowDown');
    expect(accessibleName(document.activeElement as HTMLElement)).toBe('agent');
  });

  it('is absent when nothing can open Explore', () => {
    const { container } = mount(<Trace store={storeOf(runs)} />);
    expect(exploreButtons(container)).toHaveLength(0);
  });
});

describe('TraceView and TraceModel with Explore', () => {
  const example = (name: string): any => readJson(join(PROTOCOL_DIR, 'examples', name));

  function createModel(): { model: TraceModel; comm: FakeComm } {
    const comm = new FakeComm();
    const model = new TraceModel({}, { model_id: 'trace-x', comm, widget_manager: fakeManager() });
    return { model, comm };
  }

  it('registers the model store as live while the model exists', () => {
    const { model, comm } = createModel();
    comm.receiveCustom(example('runs-start.json'));
    expect(liveTraces.find(RUN.sequence)).toBe(model.store);
    act(() => {
      model.trigger('destroy');
    });
    expect(liveTraces.find(RUN.sequence)).toBeNull();
  });

  it('opens Explore at the clicked run through the opener', () => {
    const opened: IExploreArgs[] = [];
    const View = traceViewWithExplore({ available: () => true, open: args => opened.push(args) });
    const { model, comm } = createModel();
    comm.receiveCustom(example('runs-start.json'));
    model.store.flush();
    const view = new View({ model });
    act(() => view.render());
    document.body.appendChild(view.el);
    expect(view).toBeInstanceOf(TraceView);
    click(view.el.querySelector('button.nbtrace-row__explore')!);
    expect(opened).toEqual([{ traceId: RUN.sequence, runId: RUN.sequence }]);
    act(() => view.remove());
  });

  it('shows no Explore button when the command is not there', () => {
    const View = traceViewWithExplore({ available: () => false, open: () => undefined });
    const { model, comm } = createModel();
    comm.receiveCustom(example('runs-start.json'));
    model.store.flush();
    const view = new View({ model });
    act(() => view.render());
    expect(view.el.querySelector('button.nbtrace-row__explore')).toBeNull();
    act(() => view.remove());
  });
});
