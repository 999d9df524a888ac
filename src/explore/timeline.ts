/**
 * The geometry of the waterfall: every run of a trace as a bar on one time
 * axis. Pure: times in, fractions of the axis out, so it is tested without a
 * DOM and the view only turns fractions into percentages.
 */

export interface TimeSpan {
  readonly id: string;
  /** Microseconds since the epoch. */
  readonly startUs: number;
  /** `null` while the run is running: its bar extends to `nowUs`. */
  readonly endUs: number | null;
}

export interface TimelineBar {
  readonly id: string;
  /** Start offset from the axis origin, as a fraction of the axis (0..1). */
  readonly left: number;
  /** Duration as a fraction of the axis, at least `minWidth`. */
  readonly width: number;
  /** Offset of the start from the origin, in microseconds. */
  readonly offsetUs: number;
  readonly durationUs: number;
  readonly running: boolean;
}

export interface TimelineTick {
  /** Position as a fraction of the axis. */
  readonly at: number;
  /** Microseconds since the origin. */
  readonly us: number;
}

export interface TimelineLayout {
  /** The earliest start: offset 0. */
  readonly originUs: number;
  /** The length of the axis in microseconds (at least 1). */
  readonly spanUs: number;
  readonly bars: readonly TimelineBar[];
  readonly ticks: readonly TimelineTick[];
  /** The distance between ticks, for their labels (`formatTick`). */
  readonly tickStepUs: number;
}

export interface TimelineOptions {
  /** The narrowest bar, as a fraction of the axis, so an instant run stays visible. */
  minWidth?: number;
  /** About how many ticks the axis gets. */
  tickCount?: number;
}

/**
 * Lay out `spans` (in the order given) on a shared axis from the earliest
 * start to the latest end, running spans ending at `nowUs`.
 */
export function timelineLayout(
  spans: readonly TimeSpan[],
  nowUs: number,
  options: TimelineOptions = {}
): TimelineLayout {
  const minWidth = options.minWidth ?? 0.003;
  if (spans.length === 0) {
    return { originUs: 0, spanUs: 1, bars: [], ticks: [], tickStepUs: 1 };
  }
  let origin = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    origin = Math.min(origin, span.startUs);
    end = Math.max(end, endOf(span, nowUs));
  }
  const spanUs = Math.max(1, end - origin);
  const bars = spans.map(span => {
    const stop = Math.max(span.startUs, endOf(span, nowUs));
    const durationUs = stop - span.startUs;
    const width = Math.min(1, Math.max(minWidth, durationUs / spanUs));
    const left = Math.min((span.startUs - origin) / spanUs, 1 - width);
    return {
      id: span.id,
      left: Math.max(0, left),
      width,
      offsetUs: span.startUs - origin,
      durationUs,
      running: span.endUs === null
    };
  });
  const tickStepUs = niceStep(spanUs / Math.max(1, options.tickCount ?? 4));
  return { originUs: origin, spanUs, bars, ticks: ticks(spanUs, tickStepUs), tickStepUs };
}

function endOf(span: TimeSpan, nowUs: number): number {
  return span.endUs ?? Math.max(nowUs, span.startUs);
}

/** Ticks label their left edge: one closer than this to the axis' end has no room. */
export const LAST_TICK_AT = 0.88;

/** Ticks every `stepUs` from 0, leaving out those too close to the end for a label. */
export function ticks(spanUs: number, stepUs: number): TimelineTick[] {
  const out: TimelineTick[] = [];
  for (let i = 0; i * stepUs <= spanUs * LAST_TICK_AT; i++) {
    const us = i * stepUs;
    out.push({ at: us / spanUs, us });
  }
  return out;
}

/** A tick's label, with as many decimals as the step needs: `0.5 ms`, `20 ms`, `1.5 s`. */
export function formatTick(us: number, stepUs: number): string {
  if (us === 0) {
    return stepUs >= 100_000 ? '0 s' : '0 ms';
  }
  if (stepUs >= 100_000) {
    const decimals = stepUs % 1_000_000 === 0 ? 0 : stepUs % 100_000 === 0 ? 1 : 2;
    return `${(us / 1_000_000).toFixed(decimals)} s`;
  }
  if (stepUs >= 1000) {
    return `${Math.round(us / 1000)} ms`;
  }
  const decimals = stepUs >= 100 ? 1 : stepUs >= 10 ? 2 : 3;
  return `${(us / 1000).toFixed(decimals)} ms`;
}

/**
 * Where a bar's duration label goes: after the bar when there is room,
 * before it when the bar ends near the right edge, inside it when the bar
 * spans nearly the whole axis.
 */
export function durationLabelPlacement(bar: Pick<TimelineBar, 'left' | 'width'>): 'after' | 'before' | 'inside' {
  if (bar.left + bar.width <= 0.8) {
    return 'after';
  }
  return bar.left >= 0.2 ? 'before' : 'inside';
}

/** The smallest of 1, 2, 5 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= raw - 1e-9) {
      return m * power;
    }
  }
  return 10 * power;
}
