/**
 * A failed run's error: exception type, message and traceback (library
 * frames dimmed). When the run only passed on a nested run's error, it says
 * so and offers to jump there.
 */
import type { ReactElement } from 'react';
import type { Run } from '../../store/run';
import { parseError } from '../errorText';
import { CopyButton } from './CopyButton';
import { TextBlock } from './TextBlock';

export interface ErrorViewProps {
  run: Run;
  /** The deepest failed run below this one, if any (the one that raised). */
  failingRun?: Run | null;
  onJump?: (id: string) => void;
  /** A short form for the Overview: no traceback. */
  compact?: boolean;
  onShowTraceback?: () => void;
}

export function ErrorView(props: ErrorViewProps): ReactElement | null {
  const { run, failingRun } = props;
  if (!run.error) {
    return null;
  }
  const error = parseError(run.error);
  const raisedBelow = failingRun !== null && failingRun !== undefined && failingRun.id !== run.id;
  return (
    <section className={`nbtrace-error${props.compact ? ' nbtrace-error--compact' : ''}`} aria-label="Error">
      <div className="nbtrace-error__head">
        <span className="nbtrace-status__mark" aria-hidden="true" />
        <span className="nbtrace-error__type">{error.type || 'Error'}</span>
        <span className="nbtrace-msg__spacer" />
        <CopyButton what="error" text={() => run.error ?? ''} showLabel={!props.compact} />
      </div>
      {error.message !== '' && (
        <TextBlock text={error.message} className="nbtrace-error__message" previewLines={8} />
      )}
      {raisedBelow && (
        <div className="nbtrace-error__origin">
          Raised in the nested run <span className="nbtrace-error__origin-name">{failingRun.name}</span>
          {props.onJump && (
            <button
              type="button"
              className="nbtrace-button nbtrace-button--small"
              onClick={() => props.onJump?.(failingRun.id)}
            >
              Jump to failing run
            </button>
          )}
        </div>
      )}
      {props.compact
        ? error.traceback !== null &&
          props.onShowTraceback && (
            <button type="button" className="nbtrace-link-button" onClick={props.onShowTraceback}>
              Show traceback
            </button>
          )
        : error.traceback !== null && (
            <div className="nbtrace-error__traceback-box">
              <div className="nbtrace-error__traceback-head">
                <span>Traceback</span>
                <span className="nbtrace-msg__spacer" />
                <CopyButton what="traceback" text={() => error.traceback ?? ''} />
              </div>
              <pre className="nbtrace-traceback" aria-label="Traceback">
                {error.lines.map((line, i) => (
                  <span key={i} className={`nbtrace-traceback__line nbtrace-traceback__line--${line.kind}`}>
                    {line.text}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          )}
    </section>
  );
}
