/**
 * A small line icon per run type, drawn as JSX (no markup strings).
 */
import type { ReactElement } from 'react';
import type { RunType } from '../protocol';

const GLYPHS: Readonly<Record<RunType, ReactElement>> = {
  chain: (
    <>
      <path d="M6.5 9.5l3-3" />
      <path d="M7.2 4.8l1.1-1.1a2.6 2.6 0 013.7 3.7l-1.1 1.1" />
      <path d="M8.8 11.2l-1.1 1.1a2.6 2.6 0 01-3.7-3.7l1.1-1.1" />
    </>
  ),
  llm: (
    <>
      <path d="M7 2.5l1.3 3.7L12 7.5 8.3 8.8 7 12.5 5.7 8.8 2 7.5l3.7-1.3z" />
      <path d="M12 10.5v3M10.5 12h3" />
    </>
  ),
  tool: (
    <path d="M10.6 2.6a3 3 0 00-3.5 4L2.9 10.8a1.5 1.5 0 002.1 2.1l4.2-4.2a3 3 0 004-3.5l-1.8 1.8-1.7-.4-.4-1.7z" />
  ),
  retriever: (
    <>
      <circle cx="7" cy="7" r="4" />
      <path d="M10 10l3.5 3.5" />
    </>
  ),
  embedding: (
    <>
      <rect x="2.5" y="2.5" width="4" height="4" rx="1" />
      <rect x="9.5" y="2.5" width="4" height="4" rx="1" />
      <rect x="2.5" y="9.5" width="4" height="4" rx="1" />
      <rect x="9.5" y="9.5" width="4" height="4" rx="1" />
    </>
  ),
  prompt: <path d="M2.5 3.5h11v7.5H7.5l-3 2.5V11h-2z" />,
  parser: (
    <>
      <path d="M6 2.5c-1.4 0-2 .6-2 2v1.8c0 .9-.4 1.4-1.2 1.7.8.3 1.2.8 1.2 1.7v1.8c0 1.4.6 2 2 2" />
      <path d="M10 2.5c1.4 0 2 .6 2 2v1.8c0 .9.4 1.4 1.2 1.7-.8.3-1.2.8-1.2 1.7v1.8c0 1.4-.6 2-2 2" />
    </>
  )
};

export function RunTypeIcon(props: { type: RunType }): ReactElement {
  return (
    <svg
      className="nbtrace-type__icon"
      viewBox="0 0 16 16"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
    >
      {GLYPHS[props.type]}
    </svg>
  );
}
