/**
 * One run as one row of the tree: toggle, type, name, status, tokens, latency.
 * Everything is rendered as text; run names and errors are untrusted.
 */
import { type KeyboardEvent, memo, type MouseEvent, type ReactElement } from 'react';
import {
  errorSummary,
  formatLatency,
  formatTokenDetail,
  formatTokens,
  runTypeLabel,
  statusLabel
} from '../format';
import { Run, runStatus, tokenCounts } from '../store/run';
import { RunTypeIcon } from './RunTypeIcon';

/** Row height in pixels; the stylesheet uses the same value. */
export const ROW_HEIGHT = 24;

const STREAM_TAIL = 100;

/** The end of what a model has streamed so far, on one line. */
export function streamTail(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > STREAM_TAIL ? `…${line.slice(-STREAM_TAIL)}` : line;
}

/** Indentation per level in pixels, and the deepest level that still indents. */
const INDENT = 14;
const MAX_INDENT_LEVEL = 24;

export interface RunRowProps {
  run: Run;
  /** A DOM id unique in the page. */
  domId: string;
  level: number;
  posInSet: number;
  setSize: number;
  /** `null` for a run without children. */
  expanded: boolean | null;
  selected: boolean;
  /** The row that holds the tree's tab stop. */
  tabbable: boolean;
  /** Offset from the top of the tree, in pixels. */
  top: number;
  latencyUs: number;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
  /** When given, the row has an Explore button that calls it. */
  onExplore?: (run: Run) => void;
  /** A run below this one failed (shown when this run did not fail itself). */
  failedBelow?: boolean;
}

function RunRowImpl(props: RunRowProps): ReactElement {
  const { run, domId, expanded } = props;
  const status = runStatus(run);
  const tokens = run.run_type === 'llm' ? tokenCounts(run) : null;
  const nameId = `${domId}-name`;
  const typeId = `${domId}-type`;
  const metaId = `${domId}-meta`;
  const indent = Math.min(props.level - 1, MAX_INDENT_LEVEL) * INDENT;

  const onExplore = props.onExplore;
  const failedBelow = status !== 'error' && props.failedBelow === true;
  const streaming = status === 'running' && run.streamed !== undefined && run.streamed.length > 0;

  const onToggleClick = (event: MouseEvent): void => {
    event.stopPropagation();
    props.onSelect(run.id);
    props.onToggle(run.id);
  };

  return (
    <div
      id={domId}
      role="treeitem"
      className={`nbtrace-row nbtrace-row--${status}${props.selected ? ' nbtrace-row--selected' : ''}${failedBelow ? ' nbtrace-row--failed-below' : ''}${streaming ? ' nbtrace-row--streaming' : ''}`}
      style={{ transform: `translateY(${props.top}px)` }}
      aria-level={props.level}
      aria-posinset={props.posInSet}
      aria-setsize={props.setSize}
      aria-expanded={expanded === null ? undefined : expanded}
      aria-selected={props.selected ? true : undefined}
      aria-labelledby={nameId}
      aria-describedby={`${typeId} ${metaId}`}
      tabIndex={props.tabbable ? 0 : -1}
      data-run-id={run.id}
      onClick={() => props.onSelect(run.id)}
      onDoubleClick={() => expanded !== null && props.onToggle(run.id)}
    >
      <span className="nbtrace-row__indent" style={{ width: indent }} />
      {expanded === null ? (
        <span className="nbtrace-row__toggle" aria-hidden="true" />
      ) : (
        <span
          className={`nbtrace-row__toggle nbtrace-row__toggle--${expanded ? 'open' : 'closed'}`}
          aria-hidden="true"
          onClick={onToggleClick}
        >
          <svg viewBox="0 0 16 16" width="12" height="12" focusable="false">
            <path d="M6 4l4 4-4 4" />
          </svg>
        </span>
      )}
      <span className={`nbtrace-type nbtrace-type--${run.run_type}`}>
        <RunTypeIcon type={run.run_type} />
        <span id={typeId} className="nbtrace-type__label">
          {runTypeLabel(run.run_type)}
        </span>
      </span>
      <span id={nameId} className="nbtrace-row__name" title={run.name}>
        {run.name}
      </span>
      {streaming && (
        <span className="nbtrace-row__stream" title="streaming: the model's output so far">
          {streamTail(run.streamed ?? '')}
        </span>
      )}
      {failedBelow && (
        <span className="nbtrace-row__failed-below" title="A nested run failed">
          <span className="nbtrace-status__mark" aria-hidden="true" />
          <span className="nbtrace-visually-hidden">a nested run failed</span>
        </span>
      )}
      {onExplore !== undefined && (
        <ExploreButton run={run} tabbable={props.tabbable} onExplore={onExplore} />
      )}
      <span id={metaId} className="nbtrace-row__meta">
        <span
          className={`nbtrace-status nbtrace-status--${status}`}
          title={status === 'error' && run.error ? errorSummary(run.error) : undefined}
        >
          {status === 'running' && <span className="nbtrace-spinner" aria-hidden="true" />}
          {status === 'ok' && <span className="nbtrace-status__dot" aria-hidden="true" />}
          {status === 'error' && <span className="nbtrace-status__mark" aria-hidden="true" />}
          {statusLabel(status)}
        </span>
        <span
          className="nbtrace-row__tokens"
          title={tokens ? formatTokenDetail(tokens) : undefined}
        >
          {tokens?.total != null ? formatTokens(tokens.total) : ''}
        </span>
        <span className="nbtrace-row__latency">{formatLatency(props.latencyUs)}</span>
      </span>
    </div>
  );
}

/**
 * Opens the Explore panel at this run. A real button, reachable with Tab from
 * the focused row; Enter and Space stay with it instead of toggling the row.
 */
function ExploreButton(props: {
  run: Run;
  tabbable: boolean;
  onExplore: (run: Run) => void;
}): ReactElement {
  const { run } = props;
  return (
    <button
      type="button"
      className="nbtrace-row__explore"
      aria-label={`Explore ${run.name}`}
      title="Explore this run: inputs, outputs, nested runs"
      tabIndex={props.tabbable ? 0 : -1}
      onClick={(event: MouseEvent) => {
        event.stopPropagation();
        props.onExplore(run);
      }}
      onDoubleClick={(event: MouseEvent) => event.stopPropagation()}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.stopPropagation();
        }
      }}
    >
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d="M9 2.5h4.5V7" />
        <path d="M13.5 2.5L7.5 8.5" />
        <path d="M11.5 9.5v3a1 1 0 01-1 1h-7a1 1 0 01-1-1v-7a1 1 0 011-1h3" />
      </svg>
      <span className="nbtrace-row__explore-label" aria-hidden="true">
        Explore
      </span>
    </button>
  );
}

/** Rows re-render only when their own props change. */
export const RunRow = memo(RunRowImpl);
