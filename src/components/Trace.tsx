/**
 * The whole inline trace view: a notice if something is wrong, the header,
 * and the run tree. Fed a store through props; knows nothing of widgets.
 */
import type { ReactElement } from 'react';
import type { Run } from '../store/run';
import type { RunStore } from '../store/runStore';
import { TraceHeader } from './TraceHeader';
import { TraceTree } from './TraceTree';
import { useStoreVersion } from './useRunStore';

export interface TraceProps {
  store: RunStore;
  /** Gives every row an Explore button (a stable function: rows are memoized). */
  onExplore?: (run: Run) => void;
}

export function Trace(props: TraceProps): ReactElement {
  const { store } = props;
  useStoreVersion(store);
  const notice = store.notice;
  return (
    <div className="nbtrace">
      {notice !== null && (
        <div className="nbtrace-notice" role="alert">
          {notice}
        </div>
      )}
      {(notice === null || store.size > 0) && <TraceHeader store={store} />}
      {store.size > 0 && <TraceTree store={store} onExplore={props.onExplore} />}
    </div>
  );
}
