/**
 * The run tree: an ARIA tree with roving tabindex and keyboard navigation,
 * virtualized with fixed-height rows so a 100,000-run trace costs what a
 * screenful costs. Expansion and selection are state of this component, so
 * each view of the same trace keeps its own.
 */
import {
  type KeyboardEvent,
  type FocusEvent,
  type ReactElement,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState
} from 'react';
import type { RunStore } from '../store/runStore';
import { ROW_HEIGHT, RunRow } from './RunRow';
import { useNow, useStoreVersion } from './useRunStore';
import { parentRowIndex, visibleRows } from './visibleRows';

/** The tallest the tree grows before it scrolls (15 rows). */
export const MAX_TREE_HEIGHT = 15 * ROW_HEIGHT;

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

/** Rows moved by Page Up / Page Down. */
const PAGE = Math.floor(MAX_TREE_HEIGHT / ROW_HEIGHT) - 1;

export interface TraceTreeProps {
  store: RunStore;
  /** The tree's accessible name. */
  label?: string;
}

export function TraceTree(props: TraceTreeProps): ReactElement {
  const { store } = props;
  useStoreVersion(store);
  const domPrefix = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [activeId, setActiveId] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const now = useNow(store.runningCount > 0);

  const structure = store.structureVersion;
  const rows = useMemo(
    () => visibleRows(store, expanded),
    // `structure` changes whenever the tree's shape does.
    [store, expanded, structure]
  );
  const count = rows.length;

  const activeIndex = useMemo(() => {
    const i = activeId === null ? -1 : rows.ids.indexOf(activeId);
    return i >= 0 ? i : count > 0 ? 0 : -1;
  }, [rows, activeId, count]);
  const hasSelection = activeId !== null && rows.ids[activeIndex] === activeId;

  // Viewport arithmetic: no DOM measurement, the height is ours.
  const totalHeight = count * ROW_HEIGHT;
  const viewportHeight = Math.min(totalHeight, MAX_TREE_HEIGHT);
  const top = Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight));
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + viewportHeight) / ROW_HEIGHT) + OVERSCAN);

  const toggle = useCallback((id: string) => {
    setExpanded(prev => {
      const next = new Set(prev);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  }, []);

  const select = useCallback((id: string) => setActiveId(id), []);

  const scrollToRow = (index: number): void => {
    const rowTop = index * ROW_HEIGHT;
    let next = top;
    if (rowTop < top) {
      next = rowTop;
    } else if (rowTop + ROW_HEIGHT > top + viewportHeight) {
      next = rowTop + ROW_HEIGHT - viewportHeight;
    }
    if (next !== top) {
      if (containerRef.current) {
        containerRef.current.scrollTop = next;
      }
      setScrollTop(next);
    }
  };

  const moveTo = (index: number): void => {
    if (index < 0 || index >= count) {
      return;
    }
    setActiveId(rows.ids[index]);
    scrollToRow(index);
    focusPending.current = true;
  };

  // Keyboard moves focus along with the active row, once it is rendered.
  useEffect(() => {
    if (!focusPending.current) {
      return;
    }
    focusPending.current = false;
    const id = activeIndex >= 0 ? rows.ids[activeIndex] : null;
    const row = id && containerRef.current?.querySelector<HTMLElement>(`[data-run-id="${id}"]`);
    if (row && row !== document.activeElement) {
      row.focus({ preventScroll: true });
    }
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (activeIndex < 0 || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const id = rows.ids[activeIndex];
    const hasChildren = store.hasChildren(id);
    const isOpen = hasChildren && expanded.has(id);
    switch (event.key) {
      case 'ArrowDown':
        moveTo(Math.min(activeIndex + 1, count - 1));
        break;
      case 'ArrowUp':
        moveTo(Math.max(activeIndex - 1, 0));
        break;
      case 'ArrowRight':
        if (isOpen) {
          moveTo(activeIndex + 1);
        } else if (hasChildren) {
          toggle(id);
        }
        break;
      case 'ArrowLeft':
        if (isOpen) {
          toggle(id);
        } else {
          moveTo(parentRowIndex(rows, activeIndex));
        }
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(count - 1);
        break;
      case 'PageDown':
        moveTo(Math.min(activeIndex + PAGE, count - 1));
        break;
      case 'PageUp':
        moveTo(Math.max(activeIndex - PAGE, 0));
        break;
      case 'Enter':
      case ' ':
        if (hasChildren) {
          toggle(id);
        }
        setActiveId(id);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // Focus arriving on a row (Tab, click) makes it the active one.
  const onFocus = (event: FocusEvent<HTMLDivElement>): void => {
    const target = event.target;
    const id = target instanceof HTMLElement ? target.dataset.runId : undefined;
    if (id !== undefined && id !== activeId) {
      setActiveId(id);
    }
  };

  const indices: number[] = [];
  for (let i = first; i < last; i++) {
    indices.push(i);
  }
  // The tab stop stays in the DOM even when scrolled away.
  if (activeIndex >= 0 && (activeIndex < first || activeIndex >= last)) {
    indices.push(activeIndex);
  }

  return (
    <div
      ref={containerRef}
      role="tree"
      aria-label={props.label ?? 'Traced runs'}
      className="nbtrace-tree"
      style={{ height: viewportHeight }}
      data-lm-suppress-shortcuts="true"
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div role="none" className="nbtrace-tree__canvas" style={{ height: totalHeight }}>
        {indices.map(index => {
          const id = rows.ids[index];
          const run = store.get(id);
          if (run === undefined) {
            return null;
          }
          const hasChildren = store.hasChildren(id);
          return (
            <RunRow
              key={id}
              run={run}
              domId={`${domPrefix}${id}`}
              level={rows.levels[index]}
              posInSet={rows.positions[index]}
              setSize={rows.setSizes[index]}
              expanded={hasChildren ? expanded.has(id) : null}
              selected={hasSelection && index === activeIndex}
              tabbable={index === activeIndex}
              top={index * ROW_HEIGHT}
              latencyUs={store.latencyUs(run, now)}
              onSelect={select}
              onToggle={toggle}
            />
          );
        })}
      </div>
    </div>
  );
}
