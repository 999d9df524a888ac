/**
 * A run's events (start, end, error, new_token, retries…) with their times
 * from the run's start. Streaming runs log one event per token: the list is
 * paged, and the time to the first token is called out.
 */
import { type ReactElement, useState } from 'react';
import { formatCount, formatLatency } from '../../format';
import type { RunTimelineEvent } from '../../protocol';
import type { Run } from '../../store/run';
import { parseTimeUs } from '../../store/time';
import { formatOffset, formatTimestamp } from '../format';
import { JsonViewer } from './JsonViewer';

const PAGE = 200;

export function EventsView(props: { run: Run }): ReactElement {
  const { run } = props;
  const events = run.events ?? [];
  const [limit, setLimit] = useState(PAGE);
  if (events.length === 0) {
    return <div className="nbtrace-empty">No events recorded.</div>;
  }
  const tokens = events.filter(e => e.name === 'new_token');
  const firstTokenUs = tokens.length > 0 ? parseTimeUs(tokens[0].time) : null;
  const shown = events.slice(0, limit);
  return (
    <div className="nbtrace-events">
      {tokens.length > 0 && (
        <p className="nbtrace-events__summary">
          {formatCount(tokens.length)} streamed {tokens.length === 1 ? 'token' : 'tokens'}
          {firstTokenUs !== null && (
            <>
              {' · first token after '}
              <strong>{formatLatency(firstTokenUs - run.startUs)}</strong>
            </>
          )}
        </p>
      )}
      <table className="nbtrace-table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Since start</th>
            <th scope="col">Time</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((event, i) => (
            <EventRow key={i} event={event} startUs={run.startUs} />
          ))}
        </tbody>
      </table>
      {events.length > limit && (
        <div className="nbtrace-json__more">
          <button type="button" className="nbtrace-link-button" onClick={() => setLimit(limit + PAGE)}>
            Show {formatCount(Math.min(PAGE, events.length - limit))} more
          </button>
          <span className="nbtrace-json__summary">{formatCount(events.length - limit)} more events</span>
        </div>
      )}
    </div>
  );
}

function EventRow(props: { event: RunTimelineEvent; startUs: number }): ReactElement {
  const { event } = props;
  const us = parseTimeUs(event.time);
  const kwargs = event.kwargs;
  const token = event.name === 'new_token' && typeof kwargs?.token === 'string' ? kwargs.token : null;
  return (
    <tr className={`nbtrace-events__row nbtrace-events__row--${event.name === 'error' ? 'error' : 'plain'}`}>
      <td className="nbtrace-events__name">{event.name}</td>
      <td className="nbtrace-table__num">{us === null ? '—' : formatOffset(us - props.startUs)}</td>
      <td className="nbtrace-table__time" title={event.time}>
        {formatTimestamp(event.time)}
      </td>
      <td className="nbtrace-events__details">
        {token !== null ? (
          <span className="nbtrace-events__token">{JSON.stringify(token)}</span>
        ) : kwargs && Object.keys(kwargs).length > 0 ? (
          <JsonViewer value={kwargs} what={`${event.name} details`} expandDepth={0} />
        ) : null}
      </td>
    </tr>
  );
}
