/**
 * The Explore panel's view: header, timeline, the trace's run tree (the
 * inline tree's component) and the selected run. Renders from the model and
 * its store only; Lumino hosts it (explorePanel.ts).
 */
import { type ReactElement, useCallback, useId, useMemo, useState } from 'react';
import { TraceTree } from '../../components/TraceTree';
import { useNow, useStoreVersion } from '../../components/useRunStore';
import { formatLatency } from '../../format';
import type { ExploreModel } from '../exploreModel';
import { failedAncestors, traceOrder, traceSummary } from '../traceRuns';
import { ExploreHeader } from './ExploreHeader';
import { downloadName, saveText, toJsonLines } from '../download';
import { type DetailTab, RunDetail } from './RunDetail';
import { Splitter } from './Splitter';
import { Timeline } from './Timeline';
import { useSignalVersion } from './useSignalVersion';

export function ExploreView(props: { model: ExploreModel }): ReactElement {
  const { model } = props;
  useSignalVersion(model.changed);
  const store = model.store;
  const version = useStoreVersion(store);
  const treeId = useId();
  const order = useMemo(
    () => traceOrder(store, model.traceId),
    // `version` changes whenever the store does.
    [store, model.traceId, version]
  );
  const summary = useMemo(() => traceSummary(store, order), [store, order]);
  const failedBelow = useMemo(() => failedAncestors(store, order), [store, order]);
  const now = useNow(summary.running > 0 && !store.isDisposed, 200);
  const [tab, setTab] = useState<DetailTab>('overview');
  const [timelineOpen, setTimelineOpen] = useState(true);
  const [treeWidth, setTreeWidth] = useState(340);

  const select = useCallback((id: string) => model.select(id), [model]);
  const jump = (): void => {
    if (model.jumpToFailure()) {
      setTab('error');
    }
  };

  const root = model.rootRun;
  const selectedRun = model.selectedRun;
  const selected = selectedRun ? model.resolve(selectedRun) : null;
  const loading = model.loadState === 'loading';

  return (
    <div className="nbtrace-explore">
      <ExploreHeader
        root={root}
        traceId={model.traceId}
        summary={summary}
        latencyUs={root ? store.latencyUs(root, now) : 0}
        live={model.isLive && summary.running > 0}
        canReload={model.canReload}
        loading={loading}
        onJump={jump}
        onReload={() => void model.reload()}
        onDownload={() => {
          void model.runsForDownload().then(runs =>
            saveText(downloadName(root?.name, model.traceId), toJsonLines(runs))
          );
        }}
      />
      {model.loadState === 'failed' && (
        <div className="nbtrace-notice nbtrace-explore__notice" role="alert">
          {model.loadError}
        </div>
      )}
      {store.size === 0 || order.ids.length === 0 ? (
        <div className="nbtrace-explore__placeholder">
          {loading ? (
            <>
              <span className="nbtrace-spinner" aria-hidden="true" /> Loading the trace…
            </>
          ) : (
            model.loadState !== 'failed' && 'Waiting for runs…'
          )}
        </div>
      ) : (
        <>
          <div className={`nbtrace-explore__timeline${timelineOpen ? '' : ' nbtrace-explore__timeline--closed'}`}>
            <button
              type="button"
              className="nbtrace-explore__section-toggle"
              aria-expanded={timelineOpen}
              onClick={() => setTimelineOpen(!timelineOpen)}
            >
              <svg className="nbtrace-json__chevron" viewBox="0 0 16 16" width="10" height="10" aria-hidden="true" focusable="false">
                <path d="M6 4l4 4-4 4" />
              </svg>
              Timeline
              {root && <span className="nbtrace-muted">{formatLatency(store.latencyUs(root, now))}</span>}
            </button>
            {timelineOpen && (
              <Timeline store={store} order={order} selectedId={model.selectedId} onSelect={select} now={now} />
            )}
          </div>
          <div
            className="nbtrace-explore__body"
            style={{
              ['--nbtrace-tree-width' as string]: `${treeWidth}px`,
              // Stacked (narrow panel): the tree is as tall as its runs, up to a share.
              ['--nbtrace-tree-rows' as string]: String(order.ids.length)
            }}
          >
            <div className="nbtrace-explore__tree" id={treeId}>
              <TraceTree
                store={store}
                traceId={model.traceId}
                label={`Runs of ${root?.name ?? 'the trace'}`}
                selectedId={model.selectedId}
                onSelect={select}
                defaultExpanded
                fill
                failedBelow={failedBelow}
              />
            </div>
            <Splitter
              value={treeWidth}
              min={160}
              max={1200}
              onChange={setTreeWidth}
              label="Resize the run tree"
              controls={treeId}
            />
            <div className="nbtrace-explore__detail">
              {selected ? (
                <RunDetail
                  run={selected.run}
                  payloadsPending={selected.pending}
                  payloadsError={selected.error}
                  store={store}
                  tab={tab}
                  onTab={setTab}
                  onSelect={select}
                  now={now}
                />
              ) : (
                <div className="nbtrace-explore__placeholder">
                  {model.selectedId !== null ? 'Waiting for this run…' : 'Select a run.'}
                </div>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
