/**
 * The selected session's traces, newest first: a listbox virtualized with
 * fixed-height rows (only the rows in view are in the DOM), asking the model
 * for the pages it scrolls to, so thousands of traces scroll like a few.
 * Click or Enter opens a trace in Explore.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  type FocusEvent,
  type KeyboardEvent,
  type ReactElement,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState
} from 'react';
import { useNow } from '../components/useRunStore';
import { DEFAULT_SESSION, type SessionsModel } from './sessionsModel';
import { PlaceholderRow, TRACE_ROW_HEIGHT, TraceRow } from './TraceRow';
import { useSessionsModel } from './useSessionsModel';
import { useRowScroll } from '../components/rowScroll';

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 6;

/** The viewport height assumed until it can be measured (hidden, or jsdom). */
const FALLBACK_HEIGHT = 480;

export interface TraceListProps {
  model: SessionsModel;
  trans: TranslationBundle;
  onOpen: (traceId: string) => void;
}

export function TraceList(props: TraceListProps): ReactElement {
  const { model, trans } = props;
  useSessionsModel(model);
  const session = model.selected;
  const total = model.traceCount;
  const count = total ?? 0;
  const domPrefix = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  const [measured, setMeasured] = useState(0);
  const [activeIndex, setActiveIndex] = useState(0);
  const [openedId, setOpenedId] = useState<string | null>(null);

  useLayoutEffect(() => {
    const node = containerRef.current;
    if (!node) {
      return;
    }
    const measure = (): void => {
      if (node.clientHeight > 0) {
        setMeasured(node.clientHeight);
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // Viewport arithmetic: fixed row height, no per-row measurement.
  const viewport = measured > 0 ? measured : FALLBACK_HEIGHT;
  const totalHeight = count * TRACE_ROW_HEIGHT;
  const { top, onScroll, scrollToRow } = useRowScroll(containerRef, TRACE_ROW_HEIGHT, count, viewport);
  const wantFirst = Math.max(0, Math.floor(top / TRACE_ROW_HEIGHT) - OVERSCAN);
  const wantLast = Math.ceil((top + viewport) / TRACE_ROW_HEIGHT) + OVERSCAN;
  const first = Math.min(wantFirst, count);
  const last = Math.min(wantLast, count);
  const active = Math.min(activeIndex, Math.max(0, count - 1));

  useEffect(() => {
    model.setVisibleRange(wantFirst, wantLast);
  }, [model, wantFirst, wantLast]);

  const indices: number[] = [];
  for (let i = first; i < last; i++) {
    indices.push(i);
  }
  // The tab stop stays in the DOM even when scrolled away.
  if (count > 0 && (active < first || active >= last)) {
    indices.push(active);
  }
  const running = indices.some(i => model.traceAt(i)?.end_time === null);
  const now = useNow(running, 1000);

  // Keyboard moves focus along with the active row, once it is rendered.
  useEffect(() => {
    if (!focusPending.current) {
      return;
    }
    focusPending.current = false;
    const row = containerRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (row && row !== document.activeElement) {
      row.focus({ preventScroll: true });
    }
  });

  const open = (index: number): void => {
    const trace = model.traceAt(index);
    setActiveIndex(index);
    if (trace) {
      setOpenedId(trace.trace_id);
      props.onOpen(trace.trace_id);
    }
  };

  const moveTo = (index: number): void => {
    if (count === 0) {
      return;
    }
    const target = Math.max(0, Math.min(index, count - 1));
    setActiveIndex(target);
    scrollToRow(target);
    focusPending.current = true;
  };

  const page = Math.max(1, Math.floor(viewport / TRACE_ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (count === 0 || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    switch (event.key) {
      case 'ArrowDown':
        moveTo(active + 1);
        break;
      case 'ArrowUp':
        moveTo(active - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(count - 1);
        break;
      case 'PageDown':
        moveTo(active + page);
        break;
      case 'PageUp':
        moveTo(active - page);
        break;
      case 'Enter':
      case ' ':
        open(active);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  // Focus arriving on a row (Tab, click) makes it the active one.
  const onFocus = (event: FocusEvent<HTMLDivElement>): void => {
    const index = event.target instanceof HTMLElement ? event.target.dataset.index : undefined;
    if (index !== undefined && Number(index) !== active) {
      setActiveIndex(Number(index));
    }
  };

  return (
    <div
      ref={containerRef}
      className="nbtrace-traces__viewport"
      role={count > 0 ? 'listbox' : undefined}
      aria-label={count > 0 ? trans.__('Traces of session %1', session) : undefined}
      data-lm-suppress-shortcuts="true"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      {total === null ? (
        model.state === 'ready' && <div className="nbtrace-traces__loading">{trans.__('Loading traces…')}</div>
      ) : count === 0 ? (
        <EmptySession session={session} trans={trans} />
      ) : (
        <div role="none" className="nbtrace-traces__canvas" style={{ height: totalHeight }}>
          {indices.map(index => {
            const trace = model.traceAt(index);
            return trace ? (
              <TraceRow
                key={index}
                trace={trace}
                index={index}
                setSize={count}
                domId={`${domPrefix}${index}`}
                active={trace.trace_id === openedId}
                tabbable={index === active}
                now={now}
                trans={trans}
                onOpen={open}
              />
            ) : (
              <PlaceholderRow key={index} index={index} setSize={count} />
            );
          })}
        </div>
      )}
    </div>
  );
}

/** The seed's words for an empty session, and how to fill it. */
function EmptySession(props: { session: string; trans: TranslationBundle }): ReactElement {
  const { session, trans } = props;
  const isDefault = session === DEFAULT_SESSION;
  return (
    <div className="nbtrace-traces__empty">
      <div className="nbtrace-traces__empty-title">{trans.__('No Runs')}</div>
      <p className="nbtrace-traces__empty-hint">
        {isDefault
          ? trans.__('Chains run with tracing on show up here. Turn it on in a notebook with')
          : trans.__('Record the next traces to this session with')}
      </p>
      <code className="nbtrace-traces__snippet">
        {isDefault ? (
          '%load_ext nbtrace'
        ) : (
          <>
            nbtrace.set_session(
            <wbr />
            {`${JSON.stringify(session)})`}
          </>
        )}
      </code>
    </div>
  );
}
