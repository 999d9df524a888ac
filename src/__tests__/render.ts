/**
 * Mount React elements into the jsdom document, inside act().
 */
import { act, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';

Reflect.set(globalThis, 'IS_REACT_ACT_ENVIRONMENT', true);

export interface Mounted {
  container: HTMLElement;
  rerender(element: ReactElement): void;
  unmount(): void;
}

const mounted: Mounted[] = [];

export function mount(element: ReactElement): Mounted {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  act(() => root.render(element));
  const handle: Mounted = {
    container,
    rerender: next => act(() => root.render(next)),
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    }
  };
  mounted.push(handle);
  return handle;
}

afterEach(() => {
  while (mounted.length > 0) {
    mounted.pop()!.unmount();
  }
});

/** Rows in DOM order (which is visual order). */
export function rows(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>('[role="treeitem"]')).sort(
    (a, b) => offset(a) - offset(b)
  );
}

function offset(row: HTMLElement): number {
  const m = /translateY\((\d+)px\)/.exec(row.style.transform);
  return m ? Number(m[1]) : 0;
}

/** A row's accessible name: the text of the element it is labelled by. */
export function accessibleName(row: HTMLElement): string {
  const ids = (row.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean);
  return ids.map(id => document.getElementById(id)?.textContent ?? '').join(' ');
}

export function rowNamed(container: HTMLElement, name: string): HTMLElement {
  const row = rows(container).find(r => accessibleName(r) === name);
  if (!row) {
    throw new Error(`no row named ${name}`);
  }
  return row;
}

export function press(target: HTMLElement, key: string): void {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
}

export function click(target: Element): void {
  act(() => {
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  });
}

/** Run a store change and let React render it. */
export function update(fn: () => void): void {
  act(() => fn());
}
