/**
 * A small button that copies a value and says so for a moment. The text is
 * computed on click, so a 5 MB payload costs nothing until copied.
 */
import { type MouseEvent, type ReactElement, useEffect, useRef, useState } from 'react';
import { copyText } from './clipboard';

export interface CopyButtonProps {
  /** What is copied, e.g. `inputs`, `value of city`: the button says "Copy <what>". */
  what: string;
  text: () => string;
  /** Show the word "Copy" next to the icon. */
  showLabel?: boolean;
  className?: string;
}

export function CopyButton(props: CopyButtonProps): ReactElement {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
    },
    []
  );
  const onClick = async (event: MouseEvent): Promise<void> => {
    event.stopPropagation();
    const ok = await copyText(props.text());
    setState(ok ? 'copied' : 'failed');
    if (timer.current !== null) {
      clearTimeout(timer.current);
    }
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
  return (
    <button
      type="button"
      className={`nbtrace-copy nbtrace-copy--${state}${props.className ? ` ${props.className}` : ''}`}
      aria-label={`Copy ${props.what}`}
      title={`Copy ${props.what}`}
      onClick={event => void onClick(event)}
    >
      {state === 'copied' ? (
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
          <path d="M3 8.5l3 3 7-7" />
        </svg>
      ) : (
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
          <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
          <path d="M10.5 3.5v-.5a1 1 0 00-1-1h-6a1 1 0 00-1 1v6a1 1 0 001 1h.5" />
        </svg>
      )}
      {(props.showLabel || state !== 'idle') && <span className="nbtrace-copy__label">{label}</span>}
      <span className="nbtrace-visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </button>
  );
}
