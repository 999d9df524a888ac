/**
 * The line above the tree: where the traces went (session), how many runs,
 * and how many are running or failed.
 */
import type { ReactElement } from 'react';
import { formatCount, formatRuns } from '../format';
import type { RunStore } from '../store/runStore';

export function TraceHeader(props: { store: RunStore }): ReactElement {
  const { store } = props;
  const sessions = store.sessions;
  return (
    <div className="nbtrace-header">
      <span className="nbtrace-header__brand">nbtrace</span>
      {sessions.length > 0 && (
        <span className="nbtrace-header__session" title={sessions.join(', ')}>
          {sessions.length === 1 ? 'session: ' : 'sessions: '}
          <span className="nbtrace-header__session-name">{sessions.join(', ')}</span>
        </span>
      )}
      <span className="nbtrace-header__spacer" />
      {store.size === 0 ? (
        <span className="nbtrace-header__waiting">Waiting for runs…</span>
      ) : (
        <span className="nbtrace-header__counts">
          <span className="nbtrace-header__count">{formatRuns(store.size)}</span>
          {store.runningCount > 0 && (
            <span className="nbtrace-header__count nbtrace-header__count--running">
              <span className="nbtrace-spinner" aria-hidden="true" />
              {formatCount(store.runningCount)} running
            </span>
          )}
          {store.errorCount > 0 && (
            <span className="nbtrace-header__count nbtrace-header__count--error">
              {formatCount(store.errorCount)} {store.errorCount === 1 ? 'error' : 'errors'}
            </span>
          )}
        </span>
      )}
    </div>
  );
}
