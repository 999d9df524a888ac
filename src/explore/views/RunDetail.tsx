/**
 * The selected run: what it is (name, type, status, times, latency, tokens,
 * tags, metadata) and tabs for its overview, raw inputs and outputs, error,
 * events and metadata.
 */
import { memo, type ReactElement, useMemo } from 'react';
import { formatCount, formatLatency } from '../../format';
import type { Run } from '../../store/run';
import { runStatus, tokenCounts } from '../../store/run';
import type { RunStore } from '../../store/runStore';
import { formatScalar, formatTimeOfDay, formatTimestamp } from '../format';
import { llmFacts } from '../llm';
import { lacksPayloads } from '../runDetails';
import { deepestFailedRun, orderFrom } from '../traceRuns';
import { copyableText } from './clipboard';
import { CopyButton } from './CopyButton';
import { ErrorView } from './ErrorView';
import { EventsView } from './EventsView';
import { JsonViewer } from './JsonViewer';
import { LlmView } from './LlmView';
import { MetadataView } from './MetadataView';
import { PayloadView } from './PayloadView';
import { RunTypeBadge, StatusPill } from './RunBadges';
import { type TabSpec, Tabs } from './Tabs';

export type DetailTab = 'overview' | 'inputs' | 'outputs' | 'error' | 'events' | 'metadata';

/** Metadata chips shown under the title; the Metadata tab has all of it. */
const MAX_METADATA_CHIPS = 4;

export interface RunDetailProps {
  /** The run, with its payloads once they are known (see ExploreModel.resolve). */
  run: Run;
  /** Its payloads are being loaded from the store, or could not be. */
  payloadsPending?: boolean;
  payloadsError?: string | null;
  store: RunStore;
  tab: DetailTab;
  onTab: (tab: DetailTab) => void;
  onSelect: (id: string) => void;
  /** The browser clock, for the latency of a running run. */
  now: number;
}

/** The tabs a run has, in order. */
export function detailTabs(run: Run): TabSpec<DetailTab>[] {
  const tabs: TabSpec<DetailTab>[] = [
    { id: 'overview', label: run.run_type === 'llm' ? 'Conversation' : 'Overview' },
    { id: 'inputs', label: 'Inputs' },
    { id: 'outputs', label: 'Outputs' }
  ];
  if (runStatus(run) === 'error') {
    tabs.push({ id: 'error', label: 'Error', tone: 'error' });
  }
  const events = run.events?.length ?? 0;
  tabs.push({ id: 'events', label: 'Events', badge: events > 0 ? formatCount(events) : undefined });
  tabs.push({ id: 'metadata', label: 'Metadata' });
  return tabs;
}

export function RunDetail(props: RunDetailProps): ReactElement {
  const { run, store } = props;
  const status = runStatus(run);
  const tabs = detailTabs(run);
  const tab = tabs.some(t => t.id === props.tab) ? props.tab : 'overview';
  const version = store.version;
  const failingRun = useMemo(() => {
    if (status !== 'error') {
      return null;
    }
    const id = deepestFailedRun(store, orderFrom(store, [run.id]));
    return id === null ? null : (store.get(id) ?? null);
    // `version` changes whenever a run does.
  }, [store, run.id, status, version]);

  return (
    <section className="nbtrace-detail" aria-label={`Run ${run.name}`}>
      <RunHeader run={run} latencyUs={store.latencyUs(run, props.now)} onTab={props.onTab} />
      <Tabs tabs={tabs} selected={tab} onSelect={props.onTab} label="Run details">
        <TabBody
          key={run.id}
          run={run}
          tab={tab}
          failingRun={failingRun}
          pending={props.payloadsPending ?? false}
          loadError={props.payloadsError ?? null}
          onSelect={props.onSelect}
          onTab={props.onTab}
        />
      </Tabs>
    </section>
  );
}

interface TabBodyProps {
  run: Run;
  tab: DetailTab;
  failingRun: Run | null;
  pending: boolean;
  loadError: string | null;
  onSelect: (id: string) => void;
  onTab: (tab: DetailTab) => void;
}

/**
 * The selected tab's content. Memoized: runs are immutable values, so the
 * clock ticking for a running trace does not redraw a large payload.
 */
const TabBody = memo(function TabBody(props: TabBodyProps): ReactElement {
  const { run, tab, failingRun } = props;
  if (tab !== 'error' && lacksPayloads(run)) {
    return (
      <div className="nbtrace-overview">
        {tab === 'overview' && run.error && (
          <ErrorView
            run={run}
            failingRun={failingRun}
            onJump={props.onSelect}
            compact
            onShowTraceback={() => props.onTab('error')}
          />
        )}
        <div className="nbtrace-explore__placeholder" role="status">
          {props.pending ? (
            <>
              <span className="nbtrace-spinner" aria-hidden="true" /> Loading inputs and outputs from the nbtrace
              store…
            </>
          ) : (
            `Inputs and outputs are not available${props.loadError ? `: ${props.loadError}` : '.'}`
          )}
        </div>
      </div>
    );
  }
  switch (tab) {
    case 'inputs':
      return <RawPayload value={run.inputs} what="inputs" />;
    case 'outputs':
      return run.endUs === null ? (
        <div className="nbtrace-empty">Running…</div>
      ) : (
        <RawPayload value={run.outputs} what="outputs" />
      );
    case 'error':
      return <ErrorView run={run} failingRun={failingRun} onJump={props.onSelect} />;
    case 'events':
      return <EventsView run={run} />;
    case 'metadata':
      return <MetadataView run={run} />;
    default:
      return <Overview run={run} failingRun={failingRun} onSelect={props.onSelect} onTab={props.onTab} />;
  }
});

function RunHeader(props: { run: Run; latencyUs: number; onTab: (tab: DetailTab) => void }): ReactElement {
  const { run } = props;
  const status = runStatus(run);
  const tokens = tokenCounts(run) ?? (run.run_type === 'llm' ? llmFacts(run).tokens : null);
  const metadata = run.extra?.metadata;
  const chips =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
      ? Object.entries(metadata).filter(([, v]) => v === null || typeof v !== 'object')
      : [];
  return (
    <header className="nbtrace-detail__head">
      <div className="nbtrace-detail__title">
        <RunTypeBadge type={run.run_type} />
        <h2 className="nbtrace-detail__name" title={run.name}>
          {run.name}
        </h2>
        <StatusPill status={status} />
      </div>
      <dl className="nbtrace-facts">
        <div className="nbtrace-facts__item">
          <dt>Latency</dt>
          <dd className="nbtrace-facts__strong">{formatLatency(props.latencyUs)}</dd>
        </div>
        <div className="nbtrace-facts__item">
          <dt>Start</dt>
          <dd title={`${formatTimestamp(run.start_time)} (${run.start_time})`}>{formatTimeOfDay(run.start_time)}</dd>
        </div>
        <div className="nbtrace-facts__item">
          <dt>End</dt>
          <dd title={run.end_time ? `${formatTimestamp(run.end_time)} (${run.end_time})` : undefined}>
            {run.end_time ? formatTimeOfDay(run.end_time) : 'running'}
          </dd>
        </div>
        {tokens !== null && (
          <div className="nbtrace-facts__item">
            <dt>Tokens</dt>
            <dd>
              {tokens.total === null ? '—' : formatCount(tokens.total)}
              <span className="nbtrace-muted">
                {' '}
                ({tokens.prompt === null ? '—' : formatCount(tokens.prompt)} prompt,{' '}
                {tokens.completion === null ? '—' : formatCount(tokens.completion)} completion)
              </span>
            </dd>
          </div>
        )}
        <div className="nbtrace-facts__item">
          <dt>Session</dt>
          <dd>{run.session_name}</dd>
        </div>
      </dl>
      {(run.tags?.length ?? 0) > 0 || chips.length > 0 ? (
        <div className="nbtrace-detail__chips">
          {(run.tags ?? []).map((tag, i) => (
            <span key={`t${i}`} className="nbtrace-chip nbtrace-chip--tag" title="tag">
              {tag}
            </span>
          ))}
          {chips.slice(0, MAX_METADATA_CHIPS).map(([key, value]) => (
            <span key={`m${key}`} className="nbtrace-chip nbtrace-chip--kv" title={`metadata: ${key}`}>
              <span className="nbtrace-chip__key">{key}</span>
              <span className="nbtrace-chip__value">{formatScalar(value)}</span>
            </span>
          ))}
          {chips.length > MAX_METADATA_CHIPS && (
            <button type="button" className="nbtrace-link-button" onClick={() => props.onTab('metadata')}>
              +{chips.length - MAX_METADATA_CHIPS} more
            </button>
          )}
        </div>
      ) : null}
    </header>
  );
}

function Overview(props: {
  run: Run;
  failingRun: Run | null;
  onSelect: (id: string) => void;
  onTab: (tab: DetailTab) => void;
}): ReactElement {
  const { run } = props;
  return (
    <div className="nbtrace-overview">
      {run.error && (
        <ErrorView
          run={run}
          failingRun={props.failingRun}
          onJump={props.onSelect}
          compact
          onShowTraceback={() => props.onTab('error')}
        />
      )}
      {run.run_type === 'llm' ? (
        <LlmView run={run} />
      ) : (
        <>
          <section className="nbtrace-section" aria-label="Inputs">
            <h3 className="nbtrace-section__title">Inputs</h3>
            <PayloadView value={run.inputs} what="inputs" />
          </section>
          <section className="nbtrace-section" aria-label="Outputs">
            <h3 className="nbtrace-section__title">Outputs</h3>
            {run.endUs === null ? (
              <div className="nbtrace-empty">Running…</div>
            ) : run.error && (run.outputs === null || run.outputs === undefined) ? (
              <div className="nbtrace-empty">None: the run failed.</div>
            ) : (
              <PayloadView value={run.outputs} what="outputs" />
            )}
          </section>
        </>
      )}
    </div>
  );
}

/** The raw JSON of inputs or outputs, with a button to copy all of it. */
function RawPayload(props: { value: unknown; what: string }): ReactElement {
  const { value, what } = props;
  if (value === null || value === undefined) {
    return <div className="nbtrace-empty">None</div>;
  }
  return (
    <div className="nbtrace-raw">
      <div className="nbtrace-raw__bar">
        <span className="nbtrace-muted">JSON</span>
        <span className="nbtrace-msg__spacer" />
        <CopyButton what={`all ${what}`} text={() => copyableText(value)} showLabel />
      </div>
      <JsonViewer value={value} what={what} expandDepth={3} />
    </div>
  );
}
