/**
 * The run tree: an ARIA tree with roving tabindex and keyboard navigation,
 * virtualized with fixed-height rows so a 100,000-run trace costs what a
 * screenful costs. Expansion is state of this component, so each view of the
 * same trace keeps its own; selection is too, unless the parent controls it
 * (`selectedId` + `onSelect`, as the Explore panel does).
 */
import {
  type KeyboardEvent,
  type FocusEvent,
  type ReactElement,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState
} from 'react';
import type { Run } from '../store/run';
import type { RunStore } from '../store/runStore';
import { ROW_HEIGHT, RunRow } from './RunRow';
import { openRuns } from './openRuns';
import { useNow, useStoreVersion } from './useRunStore';
import { type Expansion, type TreeSource, parentRowIndex, visibleRows } from './visibleRows';
import { useRowScroll } from './rowScroll';

/** The tallest the tree grows before it scrolls (15 rows). */
export const MAX_TREE_HEIGHT = 15 * ROW_HEIGHT;

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

/** The viewport assumed in `fill` mode before the tree is measured (and in jsdom). */
const FILL_FALLBACK_HEIGHT = 40 * ROW_HEIGHT;

export interface TraceTreeProps {
  store: RunStore;
  /** The tree's accessible name. */
  label?: string;
  /** Show only this trace's runs (a store may hold several traces). */
  traceId?: string;
  /**
   * The selected run, when the parent owns the selection; `onSelect` then
   * reports every change (click, keyboard). A run selected this way is
   * revealed: its ancestors open and it scrolls into view.
   */
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  /** Runs start expanded (the Explore panel) instead of collapsed (inline). */
  defaultExpanded?: boolean;
  /** Fill the parent's height and scroll, instead of growing up to 15 rows. */
  fill?: boolean;
  /** Gives every row an Explore button that calls this. */
  onExplore?: (run: Run) => void;
  /** Runs with a failed run below them. */
  failedBelow?: ReadonlySet<string>;
}

/** The runs whose open state differs from the default, seen as the set of open runs. */
function expansionOf(toggled: ReadonlySet<string>, defaultOpen: boolean): Expansion {
  return defaultOpen ? { has: id => !toggled.has(id) } : toggled;
}

export function TraceTree(props: TraceTreeProps): ReactElement {
  const { store, traceId, fill = false, defaultExpanded = false } = props;
  useStoreVersion(store);
  const domPrefix = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  // Runs whose open state was flipped from the default; inline trees start with
  // what was open before they were redrawn (openRuns).
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() =>
    defaultExpanded ? new Set() : openRuns.openAmong(id => store.get(id) !== undefined)
  );
  const remembered = useRef(toggled);
  useEffect(() => {
    if (!defaultExpanded) {
      openRuns.update(remembered.current, toggled);
    }
    remembered.current = toggled;
  }, [toggled, defaultExpanded]);
  const [ownActiveId, setOwnActiveId] = useState<string | null>(null);
  const [measuredHeight, setMeasuredHeight] = useState(0);
  const now = useNow(store.runningCount > 0 && store.isLive);

  const controlled = props.selectedId !== undefined;
  const activeId = controlled ? (props.selectedId ?? null) : ownActiveId;
  const onSelectRef = useRef(props.onSelect);
  onSelectRef.current = props.onSelect;
  const controlledRef = useRef(controlled);
  controlledRef.current = controlled;

  const expanded = useMemo(() => expansionOf(toggled, defaultExpanded), [toggled, defaultExpanded]);
  const isOpen = (id: string): boolean => expanded.has(id);

  const structure = store.structureVersion;
  const source = useMemo<TreeSource>(() => {
    if (traceId === undefined) {
      return store;
    }
    const roots = store.roots().filter(id => store.get(id)?.trace_id === traceId);
    return { roots: () => roots, children: id => store.children(id) };
    // `structure` changes whenever the tree's shape does.
  }, [store, traceId, structure]);
  const rows = useMemo(
    () => visibleRows(source, expanded),
    // `structure` changes whenever the tree's shape does.
    [source, expanded, structure]
  );
  const count = rows.length;

  const activeIndex = useMemo(() => {
    const i = activeId === null ? -1 : rows.ids.indexOf(activeId);
    return i >= 0 ? i : count > 0 ? 0 : -1;
  }, [rows, activeId, count]);
  const hasSelection = activeId !== null && rows.ids[activeIndex] === activeId;

  // In `fill` mode the parent sets the height: measure it.
  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!fill || el === null) {
      return;
    }
    setMeasuredHeight(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => setMeasuredHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [fill]);

  // Viewport arithmetic: inline, no DOM measurement, the height is ours.
  const totalHeight = count * ROW_HEIGHT;
  const viewportHeight = fill
    ? measuredHeight > 0
      ? measuredHeight
      : FILL_FALLBACK_HEIGHT
    : Math.min(totalHeight, MAX_TREE_HEIGHT);
  const page = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
  const { top, onScroll, scrollToRow } = useRowScroll(containerRef, ROW_HEIGHT, count, viewportHeight);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + viewportHeight) / ROW_HEIGHT) + OVERSCAN);

  const toggle = useCallback((id: string) => {
    setToggled(prev => {
      const next = new Set(prev);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  }, []);

  const select = useCallback((id: string) => {
    if (!controlledRef.current) {
      setOwnActiveId(id);
    }
    onSelectRef.current?.(id);
  }, []);

  const moveTo = (index: number): void => {
    if (index < 0 || index >= count) {
      return;
    }
    select(rows.ids[index]);
    scrollToRow(index);
    focusPending.current = true;
  };

  // A run selected from outside (timeline, "jump to failing run", a run id
  // given when opening) is revealed once: its ancestors open.
  const revealed = useRef<string | null>(null);
  const scrollPending = useRef<string | null>(null);
  useEffect(() => {
    if (!controlled || activeId === null || revealed.current === activeId) {
      return;
    }
    const run = store.get(activeId);
    if (run === undefined) {
      return; // not arrived yet: try again when it does
    }
    revealed.current = activeId;
    const closed: string[] = [];
    const seen = new Set<string>([activeId]);
    for (let p = run.parent_run_id ?? null; p !== null && !seen.has(p); ) {
      seen.add(p);
      const parent = store.get(p);
      if (parent === undefined) {
        break;
      }
      if (!expanded.has(p)) {
        closed.push(p);
      }
      p = parent.parent_run_id ?? null;
    }
    if (closed.length > 0) {
      setToggled(prev => {
        const next = new Set(prev);
        for (const id of closed) {
          if (!next.delete(id)) {
            next.add(id);
          }
        }
        return next;
      });
    }
    scrollPending.current = activeId;
  });

  // …and scrolled into view once its row exists.
  useEffect(() => {
    const id = scrollPending.current;
    if (id === null) {
      return;
    }
    const index = rows.ids.indexOf(id);
    if (index >= 0) {
      scrollPending.current = null;
      scrollToRow(index);
    }
  });

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
    const open = hasChildren && isOpen(id);
    switch (event.key) {
      case 'ArrowDown':
        moveTo(Math.min(activeIndex + 1, count - 1));
        break;
      case 'ArrowUp':
        moveTo(Math.max(activeIndex - 1, 0));
        break;
      case 'ArrowRight':
        if (open) {
          moveTo(activeIndex + 1);
        } else if (hasChildren) {
          toggle(id);
        }
        break;
      case 'ArrowLeft':
        if (open) {
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
        moveTo(Math.min(activeIndex + page, count - 1));
        break;
      case 'PageUp':
        moveTo(Math.max(activeIndex - page, 0));
        break;
      case 'Enter':
      case ' ':
        if (hasChildren) {
          toggle(id);
        }
        select(id);
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
      select(id);
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
      className={`nbtrace-tree${fill ? ' nbtrace-tree--fill' : ''}`}
      style={fill ? undefined : { height: viewportHeight }}
      data-lm-suppress-shortcuts="true"
      onScroll={onScroll}
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
              onExplore={props.onExplore}
              failedBelow={props.failedBelow?.has(id)}
            />
          );
        })}
      </div>
    </div>
  );
}
