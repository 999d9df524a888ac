/**
 * Run times as microseconds since the epoch. The kernel writes ISO 8601 UTC
 * with microseconds; `Date.parse` would drop everything below a millisecond.
 */

const ISO_UTC =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:Z|\+00:00)$/;

/** Microseconds since the epoch, or `null` if `iso` is not an ISO 8601 UTC time. */
export function parseTimeUs(iso: string): number | null {
  const m = ISO_UTC.exec(iso);
  if (m === null) {
    return null;
  }
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const fraction = m[7] === undefined ? 0 : +m[7].padEnd(6, '0');
  return ms * 1000 + fraction;
}

/** `us` (microseconds since the epoch) as the kernel writes times: ISO 8601 UTC with microseconds. */
export function formatTimeUs(us: number): string {
  const whole = Math.floor(us);
  const ms = Math.floor(whole / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(whole - ms * 1000).padStart(3, '0')}Z`;
}
