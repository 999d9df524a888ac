import { nullTranslator } from '@jupyterlab/translation';
import { checkSessionName, MAX_SESSION_NAME, nameProblemMessage } from '../sessions/validate';
import { clockTime, fullTimestamp, parseTimeMs, relativeTime } from '../sessions/time';

const trans = nullTranslator.load('nbtrace');

describe('checkSessionName (the server’s rules)', () => {
  it('accepts ordinary names and trims them', () => {
    expect(checkSessionName('my_session')).toEqual({ ok: true, name: 'my_session' });
    expect(checkSessionName('  eval run #3 ')).toEqual({ ok: true, name: 'eval run #3' });
    expect(checkSessionName('quotes "and" \'these\'')).toEqual({
      ok: true,
      name: 'quotes "and" \'these\''
    });
    expect(checkSessionName('日本語')).toEqual({ ok: true, name: '日本語' });
  });

  it('refuses empty names', () => {
    expect(checkSessionName('')).toEqual({ ok: false, problem: 'empty' });
    expect(checkSessionName(' \t\n ')).toEqual({ ok: false, problem: 'empty' });
  });

  it('refuses names over 200 characters (counted as Python does)', () => {
    expect(checkSessionName('a'.repeat(MAX_SESSION_NAME)).ok).toBe(true);
    expect(checkSessionName('a'.repeat(MAX_SESSION_NAME + 1))).toEqual({
      ok: false,
      problem: 'too-long'
    });
    // 200 emoji are 400 UTF-16 units but 200 characters.
    expect(checkSessionName('😀'.repeat(MAX_SESSION_NAME)).ok).toBe(true);
  });

  it('refuses slashes, backslashes and control characters', () => {
    for (const bad of ['a/b', 'a\\b', 'a\tb', 'a\u0000b', 'a\u001fb']) {
      expect(checkSessionName(bad)).toEqual({ ok: false, problem: 'bad-character' });
    }
  });

  it('says what is wrong in words', () => {
    expect(nameProblemMessage('empty', trans)).toMatch(/cannot be empty/);
    expect(nameProblemMessage('too-long', trans)).toMatch(/at most 200 characters/);
    expect(nameProblemMessage('bad-character', trans)).toMatch(/control characters/);
  });
});

describe('sidebar times', () => {
  const now = new Date(2024, 4, 10, 15, 30, 0).getTime();

  it('relative activity times', () => {
    expect(relativeTime(now - 5_000, now, trans)).toBe('just now');
    expect(relativeTime(now + 3_000, now, trans)).toBe('just now');
    expect(relativeTime(now - 3 * 60_000, now, trans)).toBe('3 min ago');
    expect(relativeTime(now - 2 * 3_600_000, now, trans)).toBe('2 h ago');
    expect(relativeTime(now - 86_400_000, now, trans)).toBe('1 day ago');
    expect(relativeTime(now - 3 * 86_400_000, now, trans)).toBe('3 days ago');
    expect(relativeTime(new Date(2024, 0, 2, 9).getTime(), now, trans)).toBe('2024-01-02');
  });

  it('clock time today, date and time before', () => {
    expect(clockTime(new Date(2024, 4, 10, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(clockTime(new Date(2024, 4, 9, 23, 59, 1).getTime(), now)).toBe('2024-05-09 23:59');
  });

  it('full timestamps and parsing of stored times', () => {
    expect(fullTimestamp(new Date(2024, 4, 10, 9, 5, 7, 42).getTime())).toMatch(
      /^2024-05-10 09:05:07\.042 \(UTC[+-]\d\d:\d\d\)$/
    );
    expect(parseTimeMs('2024-05-10T12:00:00.123456+00:00')).toBeCloseTo(
      Date.UTC(2024, 4, 10, 12, 0, 0, 123) + 0.456,
      3
    );
    expect(parseTimeMs(null)).toBeNull();
    expect(parseTimeMs('not a time')).toBeNull();
  });
});
