/**
 * Pure formatting helpers for the trace view. Locale-independent, so what a
 * test or a screenshot sees is what every user sees.
 */
import type { RunType } from './protocol';
import type { RunStatus, TokenCounts } from './store/run';

/** `0.4 ms`, `12 ms`, `1.23 s`, `2m 03s`, `1h 02m`. */
export function formatLatency(us: number): string {
  const ms = Math.max(0, us) / 1000;
  if (round(ms, 1) < 1) {
    return ms === 0 ? '0 ms' : `${Math.max(0.1, round(ms, 1)).toFixed(1)} ms`;
  }
  if (Math.round(ms) < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (round(s, 2) < 60) {
    return `${s.toFixed(2)} s`;
  }
  const totalSeconds = Math.round(s);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    return `${m}m ${pad2(totalSeconds % 60)}s`;
  }
  const totalMinutes = Math.round(s / 60);
  return `${Math.floor(totalMinutes / 60)}h ${pad2(totalMinutes % 60)}m`;
}

/** `1,234` */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `1 token`, `1,234 tokens`. */
export function formatTokens(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'token' : 'tokens'}`;
}

/** The tooltip of a token count: `12 prompt + 8 completion = 20 tokens`. */
export function formatTokenDetail(tokens: TokenCounts): string {
  const parts: string[] = [];
  if (tokens.prompt !== null) {
    parts.push(`${formatCount(tokens.prompt)} prompt`);
  }
  if (tokens.completion !== null) {
    parts.push(`${formatCount(tokens.completion)} completion`);
  }
  const total = tokens.total === null ? '' : formatTokens(tokens.total);
  if (parts.length === 0) {
    return total;
  }
  return total ? `${parts.join(' + ')} = ${total}` : `${parts.join(' + ')} tokens`;
}

const RUN_TYPE_LABELS: Readonly<Record<RunType, string>> = {
  chain: 'chain',
  llm: 'llm',
  tool: 'tool',
  retriever: 'retriever',
  embedding: 'embedding',
  prompt: 'prompt',
  parser: 'parser'
};

/** The word shown next to a run's icon. */
export function runTypeLabel(type: RunType): string {
  return RUN_TYPE_LABELS[type];
}

const STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  running: 'running',
  ok: 'ok',
  error: 'error'
};

export function statusLabel(status: RunStatus): string {
  return STATUS_LABELS[status];
}

/** `1 run`, `12 runs`. */
export function formatRuns(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'run' : 'runs'}`;
}

/** The first line of an error, for a tooltip-sized summary. */
export function errorSummary(error: string, max = 200): string {
  const line = error.split('\n', 1)[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The message shown when the kernel speaks another protocol version. */
export function protocolMismatchNotice(kernel: number, ours: number): string {
  return `nbtrace: the kernel speaks protocol ${kernel}, this extension speaks ${ours} — install matching versions`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
