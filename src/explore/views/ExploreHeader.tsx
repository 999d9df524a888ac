/**
 * The panel's top bar: the trace (root run) with its status, latency, run
 * count, tokens and session; "Jump to failing run" when something failed;
 * and whether the runs are live or loaded from the store.
 */
import type { ReactElement } from 'react';
import { formatCount, formatLatency, formatRuns, formatTokens } from '../../format';
import type { Run } from '../../store/run';
import { runStatus } from '../../store/run';
import type { TraceSummary } from '../traceRuns';
import { RunTypeBadge, StatusPill } from './RunBadges';

export interface ExploreHeaderProps {
  root: Run | undefined;
  traceId: string;
  summary: TraceSummary;
  latencyUs: number;
  /** Runs are still arriving (a live store, something running). */
  live: boolean;
  canReload: boolean;
  loading: boolean;
  onJump: () => void;
  onReload: () => void;
  onDownload: () => void;
}

export function ExploreHeader(props: ExploreHeaderProps): ReactElement {
  const { root, summary } = props;
  return (
    <div className="nbtrace-explore__header">
      <div className="nbtrace-explore__heading">
        {root && <RunTypeBadge type={root.run_type} />}
        <h1 className="nbtrace-explore__title" title={root?.name}>
          {root?.name ?? `Trace ${props.traceId.slice(0, 8)}`}
        </h1>
        {root && <StatusPill status={runStatus(root)} />}
      </div>
      <div className="nbtrace-explore__stats">
        {root && <span className="nbtrace-explore__stat nbtrace-explore__stat--strong">{formatLatency(props.latencyUs)}</span>}
        <span className="nbtrace-explore__stat">{formatRuns(summary.runs)}</span>
        {summary.tokens !== null && <span className="nbtrace-explore__stat">{formatTokens(summary.tokens)}</span>}
        {summary.errors > 0 && (
          <span className="nbtrace-explore__stat nbtrace-explore__stat--error">
            {formatCount(summary.errors)} failed
          </span>
        )}
        {root && (
          <span className="nbtrace-explore__stat" title="session">
            session <span className="nbtrace-explore__session">{root.session_name}</span>
          </span>
        )}
      </div>
      <span className="nbtrace-msg__spacer" />
      <div className="nbtrace-explore__actions">
        <button
          type="button"
          className="nbtrace-button"
          onClick={props.onDownload}
          title="Download every run of this trace as JSON Lines (nbtrace import reads it back)"
        >
          Download trace
        </button>
        {summary.errors > 0 && (
          <button type="button" className="nbtrace-button nbtrace-button--danger" onClick={props.onJump}>
            <span className="nbtrace-status__mark" aria-hidden="true" />
            Jump to failing run
          </button>
        )}
        {props.live ? (
          <span className="nbtrace-live" title="Updates as the kernel records runs">
            <span className="nbtrace-live__dot" aria-hidden="true" />
            live
          </span>
        ) : (
          props.canReload && (
            <button
              type="button"
              className="nbtrace-button"
              onClick={props.onReload}
              disabled={props.loading}
              title="Load this trace again from the nbtrace store"
            >
              {props.loading ? 'Loading…' : 'Reload'}
            </button>
          )
        )}
      </div>
    </div>
  );
}
