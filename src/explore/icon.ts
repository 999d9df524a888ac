/** The Explore panel's tab icon (our own drawing; no run content in it). */
import { LabIcon } from '@jupyterlab/ui-components';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
  '<g class="jp-icon3" fill="none" stroke="#616161" stroke-width="1.4" stroke-linecap="round">' +
  '<path d="M2.5 3.5h6M4.5 6.5h5M4.5 9.5h3M2.5 12.5h4"/>' +
  '<circle cx="11.5" cy="10.5" r="2.5"/><path d="M13.3 12.3l1.7 1.7"/></g></svg>';

export const exploreIcon = new LabIcon({ name: 'nbtrace:explore', svgstr: SVG });
