/**
 * The "Traces" section of the sidebar: the selected session's name and trace
 * count over its trace list.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReactElement } from 'react';
import { formatCount } from '../format';
import type { SessionsModel } from './sessionsModel';
import { TraceList } from './TraceList';
import { useSessionsModel } from './useSessionsModel';

export interface TracesSectionProps {
  model: SessionsModel;
  trans: TranslationBundle;
  onOpen: (traceId: string) => void;
}

export function TracesSection(props: TracesSectionProps): ReactElement {
  const { model, trans } = props;
  useSessionsModel(model);
  if (model.state === 'incompatible') {
    return <div className="nbtrace-traces" />;
  }
  const count = model.traceCount;
  return (
    <div className="nbtrace-traces">
      <div className="nbtrace-traces__header">
        <span className="nbtrace-traces__session" title={model.selected}>
          {model.selected}
        </span>
        {count !== null && (
          <span className="nbtrace-traces__count">
            {trans._n('%2 trace', '%2 traces', count, formatCount(count))}
          </span>
        )}
      </div>
      {/* A new list per session: scroll position and focus start over. */}
      <TraceList key={model.selected} model={model} trans={trans} onOpen={props.onOpen} />
    </div>
  );
}
