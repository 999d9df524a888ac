import {
  errorSummary,
  formatLatency,
  formatTokenDetail,
  formatTokens,
  protocolMismatchNotice,
  runTypeLabel
} from '../format';
import { RUN_TYPES } from '../protocol';

describe('formatLatency', () => {
  it.each([
    [0, '0 ms'],
    [400, '0.4 ms'],
    [12_000, '12 ms'],
    [999_400, '999 ms'],
    [999_600, '1.00 s'],
    [1_234_000, '1.23 s'],
    [59_994_000, '59.99 s'],
    [59_996_000, '1m 00s'],
    [123_000_000, '2m 03s'],
    [3_725_000_000, '1h 02m']
  ])('%i µs is %s', (us, text) => {
    expect(formatLatency(us)).toBe(text);
  });
});

describe('tokens', () => {
  it('groups thousands and agrees in number', () => {
    expect(formatTokens(1)).toBe('1 token');
    expect(formatTokens(20)).toBe('20 tokens');
    expect(formatTokens(1234)).toBe('1,234 tokens');
    expect(formatTokens(1_234_567)).toBe('1,234,567 tokens');
  });

  it('details prompt and completion in the tooltip', () => {
    expect(formatTokenDetail({ prompt: 1200, completion: 34, total: 1234 })).toBe(
      '1,200 prompt + 34 completion = 1,234 tokens'
    );
    expect(formatTokenDetail({ prompt: null, completion: null, total: 5 })).toBe('5 tokens');
  });
});

describe('labels', () => {
  it('has a word for every run type', () => {
    expect(RUN_TYPES.map(runTypeLabel)).toEqual([
      'chain',
      'llm',
      'tool',
      'retriever',
      'embedding',
      'prompt',
      'parser'
    ]);
  });

  it('summarizes an error by its first line', () => {
    expect(errorSummary("ValueError('x')\n\nTraceback (most recent call last):")).toBe(
      "ValueError('x')"
    );
    expect(errorSummary('e'.repeat(500))).toHaveLength(200);
  });

  it('tells the user what to install on a protocol mismatch', () => {
    expect(protocolMismatchNotice(2, 1)).toBe(
      'nbtrace: the kernel speaks protocol 2, this extension speaks 1 — install matching versions'
    );
  });
});
