/**
 * A string shown exactly, as text: wrapped, and cut after a preview with
 * buttons to show more. A 5 MB string renders its first screenful; the rest
 * comes in steps only when asked for.
 */
import { type ReactElement, useState } from 'react';
import { formatCount } from '../../format';

/** How much of a long string shows before "Show more". */
export const PREVIEW_CHARS = 1500;
export const PREVIEW_LINES = 20;
/** How much more each "Show more" adds. */
export const MORE_CHARS = 100_000;

/** Where the preview of `text` ends: at most `chars` characters and `lines` lines. */
export function previewEnd(text: string, chars = PREVIEW_CHARS, lines = PREVIEW_LINES): number {
  let end = Math.min(text.length, chars);
  let seen = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    if (++seen >= lines) {
      end = i;
      break;
    }
  }
  return end;
}

export interface TextBlockProps {
  text: string;
  /** Code-like text (prompts, tracebacks) in the monospace font. */
  mono?: boolean;
  className?: string;
  /** Characters to show before "Show more". */
  previewChars?: number;
  previewLines?: number;
}

export function TextBlock(props: TextBlockProps): ReactElement {
  const { text } = props;
  const preview = previewEnd(text, props.previewChars, props.previewLines);
  const [shown, setShown] = useState(preview);
  const end = Math.max(Math.min(shown, text.length), Math.min(preview, text.length));
  const hidden = text.length - end;
  const classes = ['nbtrace-text'];
  if (props.mono) {
    classes.push('nbtrace-text--mono');
  }
  if (props.className) {
    classes.push(props.className);
  }
  return (
    <div className={classes.join(' ')}>
      <div className="nbtrace-text__body">
        {hidden > 0 ? text.slice(0, end) : text}
        {hidden > 0 && <span className="nbtrace-text__ellipsis">…</span>}
      </div>
      {(hidden > 0 || end > preview) && (
        <div className="nbtrace-text__more">
          {hidden > 0 && (
            <button
              type="button"
              className="nbtrace-link-button"
              onClick={() => setShown(Math.min(text.length, end + MORE_CHARS))}
            >
              {hidden > MORE_CHARS ? `Show ${formatCount(MORE_CHARS)} more characters` : 'Show all'}
            </button>
          )}
          {hidden > MORE_CHARS && (
            <button type="button" className="nbtrace-link-button" onClick={() => setShown(text.length)}>
              Show all {formatCount(text.length)} characters
            </button>
          )}
          {hidden > 0 && (
            <span className="nbtrace-text__count">{formatCount(hidden)} characters hidden</span>
          )}
          {end > preview && (
            <button type="button" className="nbtrace-link-button" onClick={() => setShown(preview)}>
              Show less
            </button>
          )}
        </div>
      )}
    </div>
  );
}
