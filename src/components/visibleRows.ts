/**
 * The rows a tree shows: a depth-first walk of the roots and of every expanded
 * run, with each row's level and place among its siblings. Iterative, so a
 * deep chain cannot overflow the stack; O(visible rows), run only when the
 * tree's shape or the expansion changes.
 */

/** What the walk needs from a store. */
export interface TreeSource {
  roots(): readonly string[];
  children(id: string): readonly string[];
}

export interface VisibleRows {
  readonly length: number;
  readonly ids: readonly string[];
  /** `aria-level`: 1 for roots. */
  readonly levels: readonly number[];
  /** `aria-posinset`: 1-based place among siblings. */
  readonly positions: readonly number[];
  /** `aria-setsize`: number of siblings (including itself). */
  readonly setSizes: readonly number[];
}

/** Which runs show their children. */
export interface Expansion {
  has(id: string): boolean;
}

export function visibleRows(
  source: TreeSource,
  expanded: Expansion
): VisibleRows {
  const ids: string[] = [];
  const levels: number[] = [];
  const positions: number[] = [];
  const setSizes: number[] = [];
  const stack: { list: readonly string[]; next: number }[] = [];
  const roots = source.roots();
  if (roots.length > 0) {
    stack.push({ list: roots, next: 0 });
  }
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.list.length) {
      stack.pop();
      continue;
    }
    const id = frame.list[frame.next++];
    ids.push(id);
    levels.push(stack.length);
    positions.push(frame.next);
    setSizes.push(frame.list.length);
    if (expanded.has(id)) {
      const children = source.children(id);
      if (children.length > 0) {
        stack.push({ list: children, next: 0 });
      }
    }
  }
  return { length: ids.length, ids, levels, positions, setSizes };
}

/** The index of the nearest row above `index` one level up, or -1. */
export function parentRowIndex(rows: VisibleRows, index: number): number {
  const level = rows.levels[index];
  for (let i = index - 1; i >= 0; i--) {
    if (rows.levels[i] < level) {
      return i;
    }
  }
  return -1;
}
