/**
 * The scroll position of a virtualized list of fixed-height rows: what the run tree
 * and the sessions trace list share.
 */
import { type RefObject, type UIEvent, useState } from 'react';

/** The scroll position that brings row `index` into view (unchanged if it is visible). */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const rowTop = index * rowHeight;
  if (rowTop < scrollTop) {
    return rowTop;
  }
  if (rowTop + rowHeight > scrollTop + viewportHeight) {
    return rowTop + rowHeight - viewportHeight;
  }
  return scrollTop;
}

export interface RowScroll {
  /** The first visible pixel, clamped to the rows there are. */
  top: number;
  /** The container's onScroll handler. */
  onScroll: (event: UIEvent<HTMLElement>) => void;
  /** Scroll the container just enough to show row `index`. */
  scrollToRow: (index: number) => void;
}

export function useRowScroll(
  container: RefObject<HTMLElement | null>,
  rowHeight: number,
  rowCount: number,
  viewportHeight: number
): RowScroll {
  const [scrollTop, setScrollTop] = useState(0);
  const top = Math.min(scrollTop, Math.max(0, rowCount * rowHeight - viewportHeight));
  return {
    top,
    onScroll: event => setScrollTop(event.currentTarget.scrollTop),
    scrollToRow: index => {
      const next = scrollTopToShow(index, rowHeight, top, viewportHeight);
      if (next !== top) {
        if (container.current) {
          container.current.scrollTop = next;
        }
        setScrollTop(next);
      }
    }
  };
}
