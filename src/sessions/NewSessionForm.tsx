/**
 * The new-session form: a name and "Create". The model checks the name with
 * the server's rules and returns the server's own message (e.g. "exists
 * already"), which shows under the input.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { type FormEvent, type ReactElement, useId, useState } from 'react';
import type { ActionResult } from './sessionsModel';

export interface NewSessionFormProps {
  trans: TranslationBundle;
  onCreate: (name: string) => Promise<ActionResult>;
}

export function NewSessionForm(props: NewSessionFormProps): ReactElement {
  const { trans } = props;
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (pending) {
      return;
    }
    setPending(true);
    const result = await props.onCreate(value);
    setPending(false);
    if (result.ok) {
      setValue('');
      setError(null);
    } else {
      setError(result.message);
    }
  };

  return (
    <form
      className="nbtrace-new-session"
      onSubmit={event => void submit(event)}
      noValidate
      data-lm-suppress-shortcuts="true"
    >
      <label htmlFor={inputId} className="nbtrace-new-session__label">
        {trans.__('New session')}
      </label>
      <div className="nbtrace-new-session__row">
        <input
          id={inputId}
          className="nbtrace-sessions-input"
          type="text"
          value={value}
          placeholder={trans.__('Session name')}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null ? true : undefined}
          aria-describedby={error !== null ? errorId : undefined}
          onChange={event => {
            setValue(event.target.value);
            setError(null);
          }}
        />
        <button
          type="submit"
          className="nbtrace-sessions-button nbtrace-sessions-button--primary"
          disabled={pending}
        >
          {trans.__('Create')}
        </button>
      </div>
      {error !== null && (
        <div id={errorId} className="nbtrace-sessions-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
