/**
 * The list of sessions: `default` first, each with its run count and last
 * activity; the selected one is marked. One button per session selects it;
 * Arrow keys move between sessions, F2 renames and Delete deletes the focused
 * one (never `default`), as do the buttons that show on hover and focus.
 */
import type { ISessionInfo } from '../api/types';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  type FocusEvent,
  type KeyboardEvent,
  type ReactElement,
  useId,
  useRef,
  useState
} from 'react';
import { formatCount } from '../format';
import { PencilGlyph, TrashGlyph } from './icons';
import { type ActionResult, DEFAULT_SESSION } from './sessionsModel';
import { fullTimestamp, parseTimeMs, relativeTime } from './time';

export interface SessionListProps {
  sessions: readonly ISessionInfo[];
  selected: string;
  trans: TranslationBundle;
  /** The clock for "3 min ago", in ms since the epoch. */
  now: number;
  onSelect: (name: string) => void;
  onRename: (name: string, newName: string) => Promise<ActionResult>;
  /** Asks for confirmation; `null` when the user cancelled. */
  onDelete: (name: string) => Promise<ActionResult | null>;
}

export function SessionList(props: SessionListProps): ReactElement {
  const { sessions, trans } = props;
  const listRef = useRef<HTMLUListElement>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [error, setError] = useState<{ name: string; message: string } | null>(null);
  const errorId = useId();

  const focusSession = (name: string): void => {
    const buttons = selectButtons(listRef.current);
    buttons.find(b => b.dataset.sessionName === name)?.focus();
  };

  const startRename = (name: string): void => {
    setError(null);
    setRenaming(name);
  };

  const finishRename = async (name: string, newName: string | null): Promise<void> => {
    if (newName === null) {
      setRenaming(null);
      setError(null);
      requestAnimationFrame(() => focusSession(name));
      return;
    }
    const result = await props.onRename(name, newName);
    if (result.ok) {
      setRenaming(null);
      setError(null);
      requestAnimationFrame(() => focusSession(result.name));
    } else {
      setError({ name, message: result.message });
    }
  };

  const remove = async (name: string): Promise<void> => {
    setError(null);
    const result = await props.onDelete(name);
    if (result !== null && !result.ok) {
      setError({ name, message: result.message });
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const target = event.target;
    if (!(target instanceof HTMLElement) || !target.classList.contains('nbtrace-session__select')) {
      return;
    }
    const buttons = selectButtons(listRef.current);
    const index = buttons.indexOf(target as HTMLButtonElement);
    const name = target.dataset.sessionName ?? '';
    let next = -1;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(index + 1, buttons.length - 1);
        break;
      case 'ArrowUp':
        next = Math.max(index - 1, 0);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = buttons.length - 1;
        break;
      case 'F2':
        if (name !== DEFAULT_SESSION) {
          startRename(name);
        }
        break;
      case 'Delete':
        if (name !== DEFAULT_SESSION) {
          void remove(name);
        }
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (next >= 0) {
      buttons[next]?.focus();
    }
  };

  return (
    <div className="nbtrace-sessions__list-wrap">
      <ul
        ref={listRef}
        className="nbtrace-session-list"
        aria-label={trans.__('Sessions')}
        onKeyDown={onKeyDown}
        data-lm-suppress-shortcuts="true"
      >
        {sessions.map(session =>
          session.name === renaming ? (
            <RenameRow
              key={session.name}
              session={session}
              trans={trans}
              errorId={error?.name === session.name ? errorId : undefined}
              onDone={newName => finishRename(session.name, newName)}
            />
          ) : (
            <SessionRow
              key={session.name}
              session={session}
              selected={session.name === props.selected}
              trans={trans}
              now={props.now}
              onSelect={props.onSelect}
              onRename={startRename}
              onDelete={name => void remove(name)}
            />
          )
        )}
      </ul>
      {error !== null && (
        <div id={errorId} className="nbtrace-sessions-error nbtrace-session-list__error" role="alert">
          {error.message}
        </div>
      )}
    </div>
  );
}

function selectButtons(list: HTMLElement | null): HTMLButtonElement[] {
  return list
    ? Array.from(list.querySelectorAll<HTMLButtonElement>('.nbtrace-session__select'))
    : [];
}

interface SessionRowProps {
  session: ISessionInfo;
  selected: boolean;
  trans: TranslationBundle;
  now: number;
  onSelect: (name: string) => void;
  onRename: (name: string) => void;
  onDelete: (name: string) => void;
}

function SessionRow(props: SessionRowProps): ReactElement {
  const { session, trans } = props;
  const id = useId();
  const nameId = `${id}-name`;
  const metaId = `${id}-meta`;
  const activity = activityOf(session, props.now, trans);
  const isDefault = session.name === DEFAULT_SESSION;
  return (
    <li
      className={`nbtrace-session${props.selected ? ' nbtrace-session--selected' : ''}`}
      data-session-name={session.name}
    >
      <button
        type="button"
        className="nbtrace-session__select"
        aria-current={props.selected ? 'true' : undefined}
        aria-labelledby={nameId}
        aria-describedby={metaId}
        data-session-name={session.name}
        onClick={() => props.onSelect(session.name)}
      >
        <span id={nameId} className="nbtrace-session__name" title={session.name}>
          {session.name}
        </span>
        <span id={metaId} className="nbtrace-session__meta">
          <span
            className="nbtrace-session__runs"
            title={`${trans._n('%2 trace', '%2 traces', session.trace_count, formatCount(session.trace_count))} · ${trans._n('%2 run', '%2 runs', session.run_count, formatCount(session.run_count))}`}
          >
            {trans._n('%2 run', '%2 runs', session.run_count, formatCount(session.run_count))}
          </span>
          {activity !== null && (
            <>
              <span className="nbtrace-session__sep" aria-hidden="true">
                ·
              </span>
              <time className="nbtrace-session__time" dateTime={activity.iso} title={activity.title}>
                {activity.text}
              </time>
            </>
          )}
        </span>
      </button>
      {!isDefault && (
        <span className="nbtrace-session__actions">
          <button
            type="button"
            className="nbtrace-sessions-icon-button"
            aria-label={trans.__('Rename session %1', session.name)}
            title={trans.__('Rename (F2)')}
            onClick={() => props.onRename(session.name)}
          >
            <PencilGlyph />
          </button>
          <button
            type="button"
            className="nbtrace-sessions-icon-button nbtrace-sessions-icon-button--danger"
            aria-label={trans.__('Delete session %1', session.name)}
            title={trans.__('Delete (Del)')}
            onClick={() => props.onDelete(session.name)}
          >
            <TrashGlyph />
          </button>
        </span>
      )}
    </li>
  );
}

/** "3 min ago" (last run) or "created 3 min ago" (no runs yet). */
function activityOf(
  session: ISessionInfo,
  now: number,
  trans: TranslationBundle
): { text: string; title: string; iso: string } | null {
  const last = parseTimeMs(session.last_activity);
  if (last !== null && session.last_activity) {
    return {
      text: relativeTime(last, now, trans),
      title: trans.__('Last activity: %1', fullTimestamp(last)),
      iso: session.last_activity
    };
  }
  const created = parseTimeMs(session.created_at);
  if (created !== null && session.created_at) {
    return {
      text: trans.__('created %1', relativeTime(created, now, trans)),
      title: trans.__('Created: %1', fullTimestamp(created)),
      iso: session.created_at
    };
  }
  return null;
}

interface RenameRowProps {
  session: ISessionInfo;
  trans: TranslationBundle;
  errorId: string | undefined;
  /** The new name, or `null` to cancel. */
  onDone: (newName: string | null) => Promise<void>;
}

function RenameRow(props: RenameRowProps): ReactElement {
  const { session, trans } = props;
  const [value, setValue] = useState(session.name);
  const busy = useRef(false);

  const done = async (newName: string | null): Promise<void> => {
    if (busy.current) {
      return;
    }
    busy.current = true;
    try {
      await props.onDone(newName);
    } finally {
      busy.current = false;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void done(value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      void done(null);
    }
    event.stopPropagation();
  };

  const onBlur = (event: FocusEvent<HTMLInputElement>): void => {
    // Leaving the field keeps an edit (as the file browser does); no edit: cancel.
    if (event.currentTarget.value.trim() === session.name) {
      void done(null);
    } else if (!props.errorId) {
      void done(event.currentTarget.value);
    }
  };

  return (
    <li className="nbtrace-session nbtrace-session--renaming" data-session-name={session.name}>
      <input
        className="nbtrace-sessions-input nbtrace-session__rename"
        type="text"
        value={value}
        aria-label={trans.__('New name for session %1', session.name)}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        autoComplete="off"
        spellCheck={false}
        autoFocus
        onFocus={event => event.currentTarget.select()}
        onChange={event => setValue(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
    </li>
  );
}
