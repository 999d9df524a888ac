import { parseError, unrepr } from '../explore/errorText';
import { deepestFailedRun, failedAncestors, traceOrder } from '../explore/traceRuns';
import { ErrorView } from '../explore/views/ErrorView';
import { mergeStart } from '../store/run';
import { langchainRuns, runNamed, storeOf, traceIdOf } from './exploreFixtures';
import { click, mount } from './render';

describe('parseError', () => {
  it("reads LangChain's repr + traceback", () => {
    const error = runNamed(langchainRuns(), 'boom').error!;
    const parsed = parseError(error);
    expect(parsed.type).toBe('ValueError');
    expect(parsed.message).toBe('parse failed: <b>bad</b>');
    expect(parsed.traceback!.startsWith('Traceback (most recent call last):\n  File ')).toBe(true);
    expect(parsed.traceback).not.toMatch(/\n\s*\n/);
    expect(parsed.traceback!.endsWith('ValueError: parse failed: <b>bad</b>')).toBe(true);
    const kinds = new Set(parsed.lines.map(l => l.kind));
    expect(kinds).toEqual(new Set(['heading', 'frame', 'code', 'library-frame', 'library-code', 'exception']));
    const userFrame = parsed.lines.find(l => l.kind === 'frame' && l.text.includes('in boom'));
    expect(userFrame).toBeDefined();
  });

  it('reads a bare repr, with its string unescaped', () => {
    expect(parseError("ValueError('parse failed')")).toEqual({
      type: 'ValueError',
      message: 'parse failed',
      traceback: null,
      lines: []
    });
    expect(parseError('KeyboardInterrupt()')).toMatchObject({ type: 'KeyboardInterrupt', message: '' });
    expect(parseError('openai.RateLimitError: Error code: 429')).toMatchObject({
      type: 'openai.RateLimitError',
      message: 'Error code: 429'
    });
    expect(parseError('something odd happened')).toMatchObject({ type: '', message: 'something odd happened' });
    expect(unrepr(`'it\\'s\\n"quoted"'`)).toBe(`it's\n"quoted"`);
    expect(unrepr(`"a", 2`)).toBe(`"a", 2`);
    expect(unrepr(`'a', 'b'`)).toBe(`'a', 'b'`);
  });

  it('takes the last exception of a chained traceback, message lines included', () => {
    const text = [
      "RuntimeError('wrapped')Traceback (most recent call last):",
      '  File "<cell>", line 2, in f',
      '    raise KeyError("k")',
      "KeyError: 'k'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "<cell>", line 4, in f',
      '    raise RuntimeError("wrapped")',
      'RuntimeError: wrapped',
      'second line of the message'
    ].join('\n');
    const parsed = parseError(text);
    expect(parsed.type).toBe('RuntimeError');
    expect(parsed.message).toBe('wrapped\nsecond line of the message');
  });
});

describe('failed runs in a trace', () => {
  it('finds the deepest failed run and marks every ancestor', () => {
    const runs = langchainRuns();
    const store = storeOf(runs);
    const order = traceOrder(store, traceIdOf(runs, 'failing'));
    expect(deepestFailedRun(store, order)).toBe(runNamed(runs, 'boom').id);
    expect(failedAncestors(store, order)).toEqual(new Set([runNamed(runs, 'failing').id]));
    const ok = traceOrder(store, traceIdOf(runs, 'RunnableSequence'));
    expect(deepestFailedRun(store, ok)).toBeNull();
    expect(failedAncestors(store, ok).size).toBe(0);
  });
});

describe('ErrorView', () => {
  const runs = langchainRuns();
  const boom = mergeStart(undefined, runNamed(runs, 'boom'));
  const failing = mergeStart(undefined, runNamed(runs, 'failing'));

  it('shows the exception type, message and traceback as text', () => {
    const { container } = mount(<ErrorView run={boom} failingRun={boom} />);
    expect(container.querySelector('.nbtrace-error__type')!.textContent).toBe('ValueError');
    expect(container.querySelector('.nbtrace-error__message')!.textContent).toBe('parse failed: <b>bad</b>');
    expect(container.querySelector('b')).toBeNull();
    const pre = container.querySelector('pre.nbtrace-traceback')!;
    expect(pre.textContent).toContain('Traceback (most recent call last):');
    expect(pre.textContent).toContain('File "/home/user/notebook.py", line 17, in boom');
    expect(pre.querySelector('.nbtrace-traceback__line--exception')!.textContent).toBe(
      'ValueError: parse failed: <b>bad</b>\n'
    );
    // The run raised it itself: no jump.
    expect(container.textContent).not.toContain('Jump to failing run');
  });

  it('offers to jump to the nested run that raised', () => {
    const jumps: string[] = [];
    const { container } = mount(<ErrorView run={failing} failingRun={boom} onJump={id => jumps.push(id)} />);
    expect(container.querySelector('.nbtrace-error__origin')!.textContent).toContain('boom');
    const jump = Array.from(container.querySelectorAll('button')).find(b => b.textContent === 'Jump to failing run')!;
    click(jump);
    expect(jumps).toEqual([boom.id]);
  });

  it('has a compact form without the traceback', () => {
    const shown: number[] = [];
    const { container } = mount(<ErrorView run={boom} compact onShowTraceback={() => shown.push(1)} />);
    expect(container.querySelector('pre')).toBeNull();
    click(Array.from(container.querySelectorAll('button')).find(b => b.textContent === 'Show traceback')!);
    expect(shown).toEqual([1]);
  });
});
