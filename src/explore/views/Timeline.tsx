/**
 * The waterfall: every run of the trace as a bar on one time axis, in tree
 * order and indented by depth, so the slow step stands out. Clicking a bar
 * selects its run. Rows have a fixed height and only those in view render.
 */
import { type ReactElement, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatLatency } from '../../format';
import { runStatus } from '../../store/run';
import type { RunStore } from '../../store/runStore';
import { formatOffset } from '../format';
import { durationLabelPlacement, formatTick, timelineLayout } from '../timeline';
import type { TraceOrder } from '../traceRuns';

/** Row height in pixels; the stylesheet uses the same value. */
export const TIMELINE_ROW = 22;
const OVERSCAN = 6;
const FALLBACK_HEIGHT = 8 * TIMELINE_ROW;
const INDENT = 10;
const MAX_INDENT_LEVEL = 12;

export interface TimelineProps {
  store: RunStore;
  order: TraceOrder;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** The browser clock: running runs extend to it. */
  now: number;
}

export function Timeline(props: TimelineProps): ReactElement {
  const { store, order, selectedId } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el === null) {
      return;
    }
    setHeight(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(() => {
    let nowUs = 0;
    const spans = order.ids.map(id => {
      const run = store.get(id)!;
      if (run.endUs === null) {
        // The kernel's clock: the store corrects for the skew.
        nowUs = Math.max(nowUs, run.startUs + store.latencyUs(run, props.now));
      }
      return { id, startUs: run.startUs, endUs: run.endUs };
    });
    return timelineLayout(spans, nowUs);
  }, [store, order, props.now, store.version]);

  // Keep the selected run in view.
  const selectedIndex = selectedId === null ? -1 : order.ids.indexOf(selectedId);
  useEffect(() => {
    const el = scrollRef.current;
    if (el === null || selectedIndex < 0) {
      return;
    }
    const viewport = el.clientHeight || FALLBACK_HEIGHT;
    const rowTop = selectedIndex * TIMELINE_ROW;
    if (rowTop < el.scrollTop) {
      el.scrollTop = rowTop;
    } else if (rowTop + TIMELINE_ROW > el.scrollTop + viewport) {
      el.scrollTop = rowTop + TIMELINE_ROW - viewport;
    }
  }, [selectedIndex]);

  const viewport = height > 0 ? height : FALLBACK_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / TIMELINE_ROW) - OVERSCAN);
  const last = Math.min(order.ids.length, Math.ceil((scrollTop + viewport) / TIMELINE_ROW) + OVERSCAN);
  const rows: ReactElement[] = [];
  for (let i = first; i < last; i++) {
    const id = order.ids[i];
    const run = store.get(id);
    const bar = layout.bars[i];
    if (run === undefined || bar === undefined) {
      continue;
    }
    const status = runStatus(run);
    const end = bar.left + bar.width;
    const placement = durationLabelPlacement(bar);
    const duration = formatLatency(bar.durationUs);
    rows.push(
      <div
        key={id}
        className={`nbtrace-timeline__row${id === selectedId ? ' nbtrace-timeline__row--selected' : ''}`}
        style={{ transform: `translateY(${i * TIMELINE_ROW}px)` }}
        data-run-id={id}
        onClick={() => props.onSelect(id)}
      >
        <span
          className="nbtrace-timeline__label"
          style={{ paddingLeft: 6 + Math.min(order.depths[i], MAX_INDENT_LEVEL) * INDENT }}
          title={run.name}
        >
          {run.name}
        </span>
        <span className="nbtrace-timeline__track">
          <button
            type="button"
            tabIndex={-1}
            className={`nbtrace-timeline__bar nbtrace-timeline__bar--${run.run_type} nbtrace-timeline__bar--${status}`}
            style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
            aria-label={`${run.name}: ${duration}, starts at ${formatOffset(bar.offsetUs)}`}
            title={`${run.name}\n${duration}, starts at ${formatOffset(bar.offsetUs)}`}
            onClick={event => {
              event.stopPropagation();
              props.onSelect(id);
            }}
          />
          <span
            className={`nbtrace-timeline__duration nbtrace-timeline__duration--${placement}`}
            style={
              placement === 'after'
                ? { left: `calc(${end * 100}% + 4px)` }
                : placement === 'before'
                  ? { right: `calc(${(1 - bar.left) * 100}% + 4px)` }
                  : { right: `calc(${(1 - end) * 100}% + 5px)` }
            }
          >
            {duration}
          </span>
        </span>
      </div>
    );
  }

  return (
    <div className="nbtrace-timeline" role="group" aria-label="Timeline">
      <div className="nbtrace-timeline__axis" aria-hidden="true">
        <span className="nbtrace-timeline__label" />
        <span className="nbtrace-timeline__track">
          {layout.ticks.map(tick => (
            <span key={tick.us} className="nbtrace-timeline__tick" style={{ left: `${tick.at * 100}%` }}>
              {formatTick(tick.us, layout.tickStepUs)}
            </span>
          ))}
        </span>
      </div>
      <div
        ref={scrollRef}
        className="nbtrace-timeline__scroll"
        onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
      >
        <div className="nbtrace-timeline__canvas" style={{ height: order.ids.length * TIMELINE_ROW }}>
          <div className="nbtrace-timeline__grid" aria-hidden="true">
            <span className="nbtrace-timeline__label" />
            <span className="nbtrace-timeline__track">
              {layout.ticks.map(tick => (
                <span key={tick.us} className="nbtrace-timeline__gridline" style={{ left: `${tick.at * 100}%` }} />
              ))}
            </span>
          </div>
          {rows}
        </div>
      </div>
    </div>
  );
}
