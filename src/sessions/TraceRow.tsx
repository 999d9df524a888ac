/**
 * One trace of a session as one row of the trace list: run type icon, name and
 * status on the first line; start time, latency, tokens and run count on the
 * second. Run content is untrusted: everything is a React text node.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { memo, type ReactElement } from 'react';
import type { ITraceSummary } from '../api/types';
import { RunTypeIcon } from '../components/RunTypeIcon';
import { errorSummary, formatCount, formatLatency, formatTokens } from '../format';
import { RUN_TYPES, type RunType } from '../protocol';
import type { RunStatus } from '../store/run';
import { parseTimeUs } from '../store/time';
import { clockTime, fullTimestamp } from './time';

/** Row height in pixels; style/sessions.css uses the same value. */
export const TRACE_ROW_HEIGHT = 46;

export function traceStatus(trace: ITraceSummary): RunStatus {
  if (trace.end_time === null) {
    return 'running';
  }
  return trace.error ? 'error' : 'ok';
}

function asRunType(value: string): RunType | null {
  return RUN_TYPES.find(t => t === value) ?? null;
}

export interface TraceRowProps {
  trace: ITraceSummary;
  index: number;
  setSize: number;
  domId: string;
  active: boolean;
  tabbable: boolean;
  /** ms since the epoch: the clock for running latencies and "today". */
  now: number;
  trans: TranslationBundle;
  onOpen: (index: number) => void;
}

function TraceRowImpl(props: TraceRowProps): ReactElement {
  const { trace, trans, domId } = props;
  const status = traceStatus(trace);
  const type = asRunType(trace.run_type);
  const startUs = parseTimeUs(trace.start_time);
  const endUs = trace.end_time === null ? props.now * 1000 : parseTimeUs(trace.end_time);
  const latency = startUs !== null && endUs !== null ? formatLatency(endUs - startUs) : '';
  const startMs = startUs === null ? null : startUs / 1000;
  const nameId = `${domId}-name`;
  const metaId = `${domId}-meta`;
  return (
    <div
      id={domId}
      role="option"
      className={`nbtrace-trace nbtrace-trace--${status}${props.active ? ' nbtrace-trace--active' : ''}`}
      style={{ transform: `translateY(${props.index * TRACE_ROW_HEIGHT}px)` }}
      aria-selected={props.active}
      aria-posinset={props.index + 1}
      aria-setsize={props.setSize}
      aria-labelledby={nameId}
      aria-describedby={metaId}
      tabIndex={props.tabbable ? 0 : -1}
      data-index={props.index}
      data-trace-id={trace.trace_id}
      onClick={() => props.onOpen(props.index)}
    >
      <div className="nbtrace-trace__line">
        <span
          className={`nbtrace-type nbtrace-trace__type${type ? ` nbtrace-type--${type}` : ''}`}
          title={trace.run_type}
        >
          {type && <RunTypeIcon type={type} />}
        </span>
        <span id={nameId} className="nbtrace-trace__name" title={trace.name}>
          {trace.name}
        </span>
        <span
          className={`nbtrace-status nbtrace-status--${status} nbtrace-trace__status`}
          title={status === 'error' && trace.error ? errorSummary(trace.error) : undefined}
        >
          {status === 'running' && <span className="nbtrace-spinner" aria-hidden="true" />}
          {status === 'ok' && <span className="nbtrace-status__dot" aria-hidden="true" />}
          {status === 'error' && <span className="nbtrace-status__mark" aria-hidden="true" />}
          {statusText(status, trans)}
        </span>
      </div>
      <div id={metaId} className="nbtrace-trace__meta">
        {startMs !== null && (
          <time
            className="nbtrace-trace__start"
            dateTime={trace.start_time}
            title={trans.__('Started %1', fullTimestamp(startMs))}
          >
            {clockTime(startMs, props.now)}
          </time>
        )}
        <span className="nbtrace-trace__latency" title={trans.__('Latency')}>
          {latency}
        </span>
        {trace.total_tokens !== null && (
          <span className="nbtrace-trace__tokens">{formatTokens(trace.total_tokens)}</span>
        )}
        <span className="nbtrace-trace__runs">
          {trans._n('%2 run', '%2 runs', trace.run_count, formatCount(trace.run_count))}
        </span>
      </div>
    </div>
  );
}

function statusText(status: RunStatus, trans: TranslationBundle): string {
  switch (status) {
    case 'running':
      return trans.__('running');
    case 'ok':
      return trans.__('ok');
    case 'error':
      return trans.__('error');
  }
}

/** Rows re-render only when their own props change. */
export const TraceRow = memo(TraceRowImpl);

/** A row whose page is still loading: same height, no content yet. */
export function PlaceholderRow(props: { index: number; setSize: number }): ReactElement {
  return (
    <div
      role="option"
      className="nbtrace-trace nbtrace-trace--placeholder"
      style={{ transform: `translateY(${props.index * TRACE_ROW_HEIGHT}px)` }}
      aria-selected={false}
      aria-busy="true"
      aria-posinset={props.index + 1}
      aria-setsize={props.setSize}
      data-index={props.index}
    >
      <span className="nbtrace-sessions-skeleton nbtrace-sessions-skeleton--name" />
      <span className="nbtrace-sessions-skeleton nbtrace-sessions-skeleton--meta" />
    </div>
  );
}
