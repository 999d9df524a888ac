/**
 * The run-type badge and status pill, as the inline tree draws them.
 */
import type { ReactElement } from 'react';
import { RunTypeIcon } from '../../components/RunTypeIcon';
import { runTypeLabel, statusLabel } from '../../format';
import type { RunType } from '../../protocol';
import type { RunStatus } from '../../store/run';

export function RunTypeBadge(props: { type: RunType }): ReactElement {
  return (
    <span className={`nbtrace-type nbtrace-type--${props.type}`}>
      <RunTypeIcon type={props.type} />
      <span className="nbtrace-type__label">{runTypeLabel(props.type)}</span>
    </span>
  );
}

export function StatusPill(props: { status: RunStatus }): ReactElement {
  const { status } = props;
  return (
    <span className={`nbtrace-pill nbtrace-pill--${status}`}>
      {status === 'running' && <span className="nbtrace-spinner" aria-hidden="true" />}
      {status === 'ok' && <span className="nbtrace-status__dot" aria-hidden="true" />}
      {status === 'error' && <span className="nbtrace-status__mark" aria-hidden="true" />}
      {statusLabel(status)}
    </span>
  );
}
