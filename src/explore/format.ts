/**
 * Formatting for the Explore panel: times of day and offsets. Pure; the
 * clock is the browser's time zone, the digits are locale-independent.
 */
import { formatLatency } from '../format';
import { parseTimeUs } from '../store/time';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-24 10:15:00.349` in local time, or the text as given if it is not a time. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const us = parseTimeUs(iso);
  if (us === null) {
    return iso;
  }
  const d = new Date(Math.floor(us / 1000));
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/**
 * `10:15:00.349` when `iso` is on the same local day as `nowMs`, else the
 * whole `formatTimestamp`.
 */
export function formatTimeOfDay(iso: string | null | undefined, nowMs: number = Date.now()): string {
  const full = formatTimestamp(iso);
  if (!iso || full === iso || full === '—') {
    return full;
  }
  const today = formatTimestamp(new Date(nowMs).toISOString()).slice(0, 10);
  return full.startsWith(today) ? full.slice(11) : full;
}

/** `+12 ms`: an offset from a start. */
export function formatOffset(us: number): string {
  return `+${formatLatency(Math.max(0, us))}`;
}

/** A JSON scalar as short text: strings as they are, the rest as JSON. */
export function formatScalar(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
