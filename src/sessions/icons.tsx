/**
 * The sidebar's icons: the tab icon (a LabIcon of our own SVG) and small line
 * glyphs for buttons, all drawn in `currentColor` so they follow the theme.
 */
import { LabIcon } from '@jupyterlab/ui-components';
import type { ReactElement } from 'react';

/** A trace tree inside a session: a root run and two nested ones. */
const SESSIONS_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
<circle cx="6" cy="5.5" r="2.2"/>
<path d="M9.8 5.5H20"/>
<path d="M6 8v9a1.5 1.5 0 0 0 1.5 1.5H9"/>
<path d="M6 12h3"/>
<circle cx="12" cy="12" r="2"/>
<circle cx="12" cy="18.5" r="2"/>
<path d="M15.5 12H20M15.5 18.5H20"/>
</svg>`;

export const sessionsIcon = new LabIcon({ name: 'nbtrace:sessions', svgstr: SESSIONS_SVG });

function Glyph(props: { children: ReactElement | ReactElement[] }): ReactElement {
  return (
    <svg
      className="nbtrace-sessions-glyph"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

export function PencilGlyph(): ReactElement {
  return (
    <Glyph>
      <path d="M10.5 2.8l2.7 2.7-7.6 7.6-3.3.6.6-3.3z" />
      <path d="M9.2 4.1l2.7 2.7" />
    </Glyph>
  );
}

export function TrashGlyph(): ReactElement {
  return (
    <Glyph>
      <path d="M2.8 4.3h10.4" />
      <path d="M6.2 4.3V2.8h3.6v1.5" />
      <path d="M4.2 4.3l.7 8.6a1 1 0 001 .9h4.2a1 1 0 001-.9l.7-8.6" />
      <path d="M6.8 7v4.4M9.2 7v4.4" />
    </Glyph>
  );
}
