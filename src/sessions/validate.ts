/**
 * Session-name rules, the same as the server's (`validate_session_name` in
 * sdk/nbtrace/settings.py), so the form can say what is wrong before sending.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** The longest session name, in characters (code points, as Python counts). */
export const MAX_SESSION_NAME = 200;

export type NameProblem = 'empty' | 'too-long' | 'bad-character';

export type NameCheck =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly problem: NameProblem };

/** Check a typed name; on success `name` is the name to send (trimmed). */
export function checkSessionName(raw: string): NameCheck {
  const name = raw.trim();
  if (name.length === 0) {
    return { ok: false, problem: 'empty' };
  }
  if (Array.from(name).length > MAX_SESSION_NAME) {
    return { ok: false, problem: 'too-long' };
  }
  for (const ch of name) {
    if (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32) {
      return { ok: false, problem: 'bad-character' };
    }
  }
  return { ok: true, name };
}

/** What to tell the user about a problem. */
export function nameProblemMessage(problem: NameProblem, trans: TranslationBundle): string {
  switch (problem) {
    case 'empty':
      return trans.__('A session name cannot be empty.');
    case 'too-long':
      return trans.__('A session name has at most %1 characters.', MAX_SESSION_NAME);
    case 'bad-character':
      return trans.__('A session name cannot contain “/”, “\\” or control characters.');
  }
}
