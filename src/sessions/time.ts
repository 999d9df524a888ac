/**
 * Times in the Sessions sidebar: relative ("3 min ago") for activity, a clock
 * time for trace starts, and a full timestamp for tooltips. Pure functions of
 * their arguments (the clock is passed in); digits are locale-independent.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { parseTimeUs } from '../store/time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch of a stored ISO time, or `null`. */
export function parseTimeMs(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const us = parseTimeUs(iso);
  if (us !== null) {
    return us / 1000;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** `just now`, `3 min ago`, `2 h ago`, `4 days ago`, then the date. */
export function relativeTime(ms: number, nowMs: number, trans: TranslationBundle): string {
  const ago = nowMs - ms;
  if (ago < 45_000) {
    return trans.__('just now');
  }
  if (ago < HOUR) {
    return trans.__('%1 min ago', Math.max(1, Math.round(ago / MINUTE)));
  }
  if (ago < DAY) {
    return trans.__('%1 h ago', Math.floor(ago / HOUR));
  }
  if (ago < 7 * DAY) {
    const days = Math.floor(ago / DAY);
    return trans._n('%1 day ago', '%1 days ago', days);
  }
  return localDate(new Date(ms));
}

/** A trace's start: `14:03:27` today, `2024-05-01 14:03` on other days. */
export function clockTime(ms: number, nowMs: number): string {
  const at = new Date(ms);
  const now = new Date(nowMs);
  const hm = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (localDate(at) === localDate(now)) {
    return `${hm}:${pad(at.getSeconds())}`;
  }
  return `${localDate(at)} ${hm}`;
}

/** `2024-05-01 14:03:27.412 (UTC+02:00)`: local time with its offset. */
export function fullTimestamp(ms: number): string {
  const at = new Date(ms);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const millis = String(at.getMilliseconds()).padStart(3, '0');
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${localDate(at)} ${time}.${millis} (${zone})`;
}

function localDate(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
