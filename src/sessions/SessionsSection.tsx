/**
 * The "Sessions" section of the sidebar: what is wrong (if anything), the
 * new-session form and the session list.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReactElement } from 'react';
import type { ISessionInfo } from '../api/types';
import { useNow } from '../components/useRunStore';
import { NewSessionForm } from './NewSessionForm';
import { SessionList } from './SessionList';
import type { SessionsModel } from './sessionsModel';
import { useSessionsModel } from './useSessionsModel';

/** How often "3 min ago" is brought up to date. */
const CLOCK_INTERVAL = 15_000;

export interface SessionsSectionProps {
  model: SessionsModel;
  trans: TranslationBundle;
  /** Ask the user to confirm deleting a session. */
  confirmDelete: (session: ISessionInfo) => Promise<boolean>;
}

export function SessionsSection(props: SessionsSectionProps): ReactElement {
  const { model, trans } = props;
  useSessionsModel(model);
  const now = useNow(true, CLOCK_INTERVAL);

  if (model.state === 'incompatible') {
    return (
      <div className="nbtrace-sessions__section">
        <Notice text={model.notice ?? ''} />
      </div>
    );
  }

  const onDelete = async (name: string) => {
    const session = model.sessions.find(s => s.name === name);
    if (!session || !(await props.confirmDelete(session))) {
      return null;
    }
    return model.deleteSession(name);
  };

  return (
    <div className="nbtrace-sessions__section">
      {model.notice !== null && <Notice text={model.notice} />}
      <NewSessionForm trans={trans} onCreate={name => model.createSession(name)} />
      {model.sessionsLoaded ? (
        <SessionList
          sessions={model.sessions}
          selected={model.selected}
          trans={trans}
          now={now}
          onSelect={name => model.select(name)}
          onRename={(name, newName) => model.renameSession(name, newName)}
          onDelete={onDelete}
        />
      ) : (
        model.notice === null && (
          <div className="nbtrace-sessions__loading">{trans.__('Loading sessions…')}</div>
        )
      )}
    </div>
  );
}

/** A problem the user can act on, in words. */
export function Notice(props: { text: string }): ReactElement {
  return (
    <div className="nbtrace-sessions__notice" role="alert">
      {props.text}
    </div>
  );
}
