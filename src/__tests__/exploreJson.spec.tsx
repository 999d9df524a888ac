import { act } from 'react';
import { JSON_PAGE, JsonViewer } from '../explore/views/JsonViewer';
import { PREVIEW_CHARS, TextBlock, previewEnd } from '../explore/views/TextBlock';
import { click, mount } from './render';

/** The clipboard the copy buttons write to. */
function fakeClipboard(): string[] {
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: (text: string) => Promise.resolve(void written.push(text)) }
  });
  return written;
}

async function clickAsync(target: Element): Promise<void> {
  await act(async () => {
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  });
}

function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = Array.from(container.querySelectorAll('button')).find(
    b => (b.getAttribute('aria-label') ?? b.textContent) === name
  );
  if (!found) {
    throw new Error(`no button ${name}`);
  }
  return found;
}

function toggles(container: HTMLElement): HTMLButtonElement[] {
  return Array.from(container.querySelectorAll<HTMLButtonElement>('.nbtrace-json__toggle'));
}

describe('JsonViewer', () => {
  const payload = {
    question: 'What is the weather?',
    count: 3,
    ok: true,
    nothing: null,
    nested: { deep: { deeper: { deepest: 'down here' } } },
    list: [1, 2, 3]
  };

  it('shows keys and typed values, opening the first levels', () => {
    const { container } = mount(<JsonViewer value={payload} what="inputs" />);
    const text = container.textContent!;
    expect(text).toContain('question');
    expect(text).toContain('"What is the weather?"');
    expect(container.querySelector('.nbtrace-json__number')!.textContent).toBe('3');
    expect(container.querySelector('.nbtrace-json__boolean')!.textContent).toBe('true');
    expect(container.querySelector('.nbtrace-json__null')!.textContent).toBe('null');
    // Root and depth 1 are open; depth 2 (nested.deep) is collapsed and not rendered.
    const [root, nested, deep] = toggles(container);
    expect(root.getAttribute('aria-expanded')).toBe('true');
    expect(nested.getAttribute('aria-expanded')).toBe('true');
    expect(deep.getAttribute('aria-expanded')).toBe('false');
    expect(deep.textContent).toContain('1 key');
    expect(text).not.toContain('deepest');
  });

  it('collapses and expands a node, rendering children only when open', () => {
    const { container } = mount(<JsonViewer value={payload} what="inputs" />);
    const deep = toggles(container)[2];
    click(deep);
    expect(deep.getAttribute('aria-expanded')).toBe('true');
    expect(container.textContent).toContain('deeper');
    const deeper = toggles(container)[3];
    click(deeper);
    expect(container.textContent).toContain('"down here"');
    click(deep);
    expect(deep.getAttribute('aria-expanded')).toBe('false');
    expect(container.textContent).not.toContain('down here');
  });

  it('copies one value, or the whole payload', async () => {
    const written = fakeClipboard();
    const { container } = mount(<JsonViewer value={payload} what="inputs" />);
    await clickAsync(button(container, 'Copy inputs'));
    expect(JSON.parse(written[0])).toEqual(payload);
    await clickAsync(button(container, 'Copy inputs.question'));
    expect(written[1]).toBe('What is the weather?');
    await clickAsync(button(container, 'Copy inputs.list'));
    expect(written[2]).toBe('[\n  1,\n  2,\n  3\n]');
    expect(button(container, 'Copy inputs').textContent).toContain('Copied');
  });

  it('renders at most a page of a long list, then more on demand', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const { container } = mount(<JsonViewer value={{ items }} what="outputs" expandDepth={3} />);
    // A list longer than the auto-open limit starts closed.
    const list = toggles(container)[1];
    expect(list.getAttribute('aria-expanded')).toBe('false');
    expect(list.textContent).toContain('1,000 items');
    click(list);
    const node = list.closest('.nbtrace-json__node')!;
    const rendered = (): number => node.querySelectorAll(':scope > .nbtrace-json__children > .nbtrace-json__node').length;
    expect(rendered()).toBe(JSON_PAGE);
    expect(container.textContent).toContain('900 of 1,000 items hidden');
    click(button(container, `Show ${JSON_PAGE} more`));
    expect(rendered()).toBe(2 * JSON_PAGE);
  });

  it('opens a 5 MB output at once: nothing big is rendered until asked', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: i, text: `row ${i}` }));
    const started = Date.now();
    const { container } = mount(<JsonViewer value={{ big, rows }} what="outputs" />);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(container.textContent!.length).toBeLessThan(10_000);
    expect(container.textContent).toContain('5,242,880 characters');
    expect(container.querySelectorAll('.nbtrace-json__node').length).toBeLessThan(20);
  });

  it('shows keys and strings as text, never markup', () => {
    const evil = '<img src=x onerror="window.__x=1">';
    const { container } = mount(<JsonViewer value={{ [evil]: evil, nested: { a: `<script>1</script>${'y'.repeat(200)}` } }} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain(evil);
  });
});

describe('TextBlock', () => {
  it('shows a short string whole and exactly, with no buttons', () => {
    const text = '  indented\nand <b>not bold</b>  ';
    const { container } = mount(<TextBlock text={text} />);
    expect(container.querySelector('.nbtrace-text__body')!.textContent).toBe(text);
    expect(container.querySelector('button')).toBeNull();
  });

  it('cuts a long string after the preview and expands it', () => {
    const text = 'word '.repeat(2000);
    const { container } = mount(<TextBlock text={text} />);
    const body = (): string => container.querySelector('.nbtrace-text__body')!.textContent!;
    expect(body().length).toBe(PREVIEW_CHARS + 1); // + the ellipsis
    expect(container.textContent).toContain(`${(text.length - PREVIEW_CHARS).toLocaleString('en-US')} characters hidden`);
    click(button(container, 'Show all'));
    expect(body()).toBe(text);
    click(button(container, 'Show less'));
    expect(body().length).toBe(PREVIEW_CHARS + 1);
  });

  it('expands a huge string in steps, or all at once', () => {
    const text = 'z'.repeat(1_000_000);
    const { container } = mount(<TextBlock text={text} />);
    const body = (): string => container.querySelector('.nbtrace-text__body')!.textContent!;
    click(button(container, 'Show 100,000 more characters'));
    expect(body().length).toBe(PREVIEW_CHARS + 100_000 + 1);
    click(button(container, 'Show all 1,000,000 characters'));
    expect(body().length).toBe(1_000_000);
  });

  it('cuts after a number of lines too', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const end = previewEnd(text, 10_000, 5);
    expect(text.slice(0, end).split('\n')).toHaveLength(5);
  });
});
