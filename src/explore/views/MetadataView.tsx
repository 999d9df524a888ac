/**
 * Everything else a run carries: its ids, session and times, `extra.metadata`,
 * the invocation parameters and options, the rest of `extra`, and the tags.
 */
import type { ReactElement } from 'react';
import type { Run } from '../../store/run';
import { CopyButton } from './CopyButton';
import { JsonViewer } from './JsonViewer';

const SECTIONS = [
  ['metadata', 'Metadata'],
  ['invocation_params', 'Invocation parameters'],
  ['options', 'Options']
] as const;

export function MetadataView(props: { run: Run }): ReactElement {
  const { run } = props;
  const extra = run.extra ?? {};
  const known = new Set<string>(SECTIONS.map(([key]) => key));
  const rest = Object.fromEntries(Object.entries(extra).filter(([key]) => !known.has(key)));
  const ids: [string, string | null | undefined][] = [
    ['id', run.id],
    ['trace_id', run.trace_id],
    ['parent_run_id', run.parent_run_id],
    ['dotted_order', run.dotted_order],
    ['session_name', run.session_name],
    ['run_type', run.run_type],
    ['start_time', run.start_time],
    ['end_time', run.end_time]
  ];
  return (
    <div className="nbtrace-metadata">
      <section className="nbtrace-section" aria-label="Run">
        <h3 className="nbtrace-section__title">Run</h3>
        <dl className="nbtrace-kv">
          {ids.map(([key, value]) => (
            <div key={key} className="nbtrace-kv__item">
              <dt>{key}</dt>
              <dd>
                <span className="nbtrace-kv__value">{value ?? 'null'}</span>
                {value ? <CopyButton what={key} text={() => value} /> : null}
              </dd>
            </div>
          ))}
          <div className="nbtrace-kv__item">
            <dt>tags</dt>
            <dd>
              {run.tags && run.tags.length > 0 ? (
                <span className="nbtrace-chips">
                  {run.tags.map((tag, i) => (
                    <span key={i} className="nbtrace-chip">
                      {tag}
                    </span>
                  ))}
                </span>
              ) : (
                <span className="nbtrace-kv__value nbtrace-muted">none</span>
              )}
            </dd>
          </div>
        </dl>
      </section>
      {SECTIONS.map(([key, title]) =>
        extra[key] !== undefined ? (
          <section key={key} className="nbtrace-section" aria-label={title}>
            <h3 className="nbtrace-section__title">{title}</h3>
            <JsonViewer value={extra[key]} what={key} />
          </section>
        ) : null
      )}
      {Object.keys(rest).length > 0 && (
        <section className="nbtrace-section" aria-label="Other extra fields">
          <h3 className="nbtrace-section__title">Other</h3>
          <JsonViewer value={rest} what="extra" />
        </section>
      )}
    </div>
  );
}
