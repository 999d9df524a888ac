import { durationLabelPlacement, formatTick, niceStep, ticks, timelineLayout } from '../explore/timeline';
import { formatOffset, formatTimeOfDay, formatTimestamp } from '../explore/format';

const MS = 1000;

describe('timelineLayout', () => {
  it('places bars by start offset and duration on a shared axis', () => {
    const layout = timelineLayout(
      [
        { id: 'root', startUs: 1_000 * MS, endUs: 1_100 * MS },
        { id: 'prompt', startUs: 1_000 * MS, endUs: 1_010 * MS },
        { id: 'llm', startUs: 1_010 * MS, endUs: 1_090 * MS },
        { id: 'parser', startUs: 1_090 * MS, endUs: 1_100 * MS }
      ],
      0
    );
    expect(layout.originUs).toBe(1_000 * MS);
    expect(layout.spanUs).toBe(100 * MS);
    const bar = (id: string) => layout.bars.find(b => b.id === id)!;
    expect(bar('root')).toMatchObject({ left: 0, width: 1, offsetUs: 0, durationUs: 100 * MS, running: false });
    expect(bar('prompt').left).toBeCloseTo(0);
    expect(bar('prompt').width).toBeCloseTo(0.1);
    expect(bar('llm').left).toBeCloseTo(0.1);
    expect(bar('llm').width).toBeCloseTo(0.8);
    expect(bar('parser').left).toBeCloseTo(0.9);
    expect(bar('parser').width).toBeCloseTo(0.1);
    expect(layout.bars.map(b => b.id)).toEqual(['root', 'prompt', 'llm', 'parser']);
  });

  it('extends running runs to now', () => {
    const layout = timelineLayout(
      [
        { id: 'root', startUs: 0, endUs: null },
        { id: 'done', startUs: 0, endUs: 50 }
      ],
      200
    );
    expect(layout.spanUs).toBe(200);
    expect(layout.bars[0]).toMatchObject({ left: 0, width: 1, durationUs: 200, running: true });
    expect(layout.bars[1].width).toBeCloseTo(0.25);
  });

  it('keeps instant runs visible and inside the axis', () => {
    const layout = timelineLayout(
      [
        { id: 'root', startUs: 0, endUs: 10_000 },
        { id: 'instant', startUs: 10_000, endUs: 10_000 }
      ],
      0,
      { minWidth: 0.01 }
    );
    const instant = layout.bars[1];
    expect(instant.width).toBe(0.01);
    expect(instant.left + instant.width).toBeLessThanOrEqual(1);
    expect(instant.left).toBeCloseTo(0.99);
    expect(instant.durationUs).toBe(0);
  });

  it('never gives a negative width when a run ends before it starts (clock skew)', () => {
    const layout = timelineLayout([{ id: 'odd', startUs: 100, endUs: 40 }], 0);
    expect(layout.bars[0].width).toBeGreaterThan(0);
    expect(layout.bars[0].durationUs).toBe(0);
  });

  it('lays out nothing for no runs', () => {
    expect(timelineLayout([], 0)).toEqual({ originUs: 0, spanUs: 1, bars: [], ticks: [], tickStepUs: 1 });
  });

  it('puts ticks at round steps', () => {
    expect(niceStep(23)).toBe(50);
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1000)).toBe(1000);
    expect(niceStep(1001)).toBe(2000);
    // No tick so close to the end that its label would not fit.
    expect(ticks(100_000, 25_000).map(t => t.us)).toEqual([0, 25_000, 50_000, 75_000]);
    expect(ticks(100_000, 25_000).map(t => t.at)).toEqual([0, 0.25, 0.5, 0.75]);
    const layout = timelineLayout([{ id: 'a', startUs: 0, endUs: 2_300 }], 0);
    expect(layout.tickStepUs).toBe(1000);
    expect(layout.ticks.map(t => t.us)).toEqual([0, 1000, 2000]);
  });

  it('labels ticks with the decimals the step needs', () => {
    expect(formatTick(0, 200)).toBe('0 ms');
    expect(formatTick(500, 500)).toBe('0.5 ms');
    expect(formatTick(1500, 500)).toBe('1.5 ms');
    expect(formatTick(20, 20)).toBe('0.02 ms');
    expect(formatTick(20_000, 10_000)).toBe('20 ms');
    expect(formatTick(1_500_000, 500_000)).toBe('1.5 s');
    expect(formatTick(2_000_000, 1_000_000)).toBe('2 s');
  });

  it('puts the duration label where it fits', () => {
    expect(durationLabelPlacement({ left: 0.1, width: 0.3 })).toBe('after');
    expect(durationLabelPlacement({ left: 0.7, width: 0.25 })).toBe('before');
    expect(durationLabelPlacement({ left: 0, width: 1 })).toBe('inside');
  });
});

describe('Explore time formats', () => {
  it('shows the time of day for today, the full local time otherwise', () => {
    const iso = new Date(2026, 10, 24, 10, 15, 0, 349).toISOString();
    const sameDay = new Date(2026, 10, 24, 23, 0, 0).getTime();
    const nextDay = new Date(2026, 10, 25, 1, 0, 0).getTime();
    expect(formatTimestamp(iso)).toBe('2026-11-24 10:15:00.349');
    expect(formatTimeOfDay(iso, sameDay)).toBe('10:15:00.349');
    expect(formatTimeOfDay(iso, nextDay)).toBe('2026-11-24 10:15:00.349');
    expect(formatTimeOfDay('not a time')).toBe('not a time');
    expect(formatTimeOfDay(null)).toBe('—');
    expect(formatOffset(12_000)).toBe('+12 ms');
  });
});
