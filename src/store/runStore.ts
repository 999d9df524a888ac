/**
 * The normalized run store behind a trace view: runs by id, children by parent
 * id sorted by `dotted_order`, and the roots. Events may arrive in any order
 * and more than once (a replay after live events): every event is applied
 * idempotently in O(log n) (plus a splice when a run lands mid-list).
 */
import { ISignal, Signal } from '@lumino/signaling';
import type { RunEnd, RunsMessage, RunStart, RunStream } from '../protocol';
import { FrameCoalescer } from './coalescer';
import {
  Run,
  RunStatus,
  appendStream,
  applyEnd,
  latencyUs,
  mergeEnds,
  mergeStart,
  runStatus
} from './run';
import { insertSorted, removeSorted } from './sortedIds';

const NO_IDS: readonly string[] = [];

export interface RunStoreOptions {
  /** The browser clock in milliseconds; `Date.now` unless a test fixes it. */
  now?: () => number;
}

export class RunStore {
  constructor(options: RunStoreOptions = {}) {
    this._now = options.now ?? Date.now;
  }

  /**
   * Fired after the store changed, at most once per animation frame.
   * `flush()` fires a pending change at once.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Increases with every published change; a snapshot key for React. */
  get version(): number {
    return this._publishedVersion;
  }

  /** Increases when the tree's shape changed (a run added or moved), not on updates. */
  get structureVersion(): number {
    return this._structureVersion;
  }

  get size(): number {
    return this._runs.size;
  }

  get runningCount(): number {
    return this._running;
  }

  get errorCount(): number {
    return this._errors;
  }

  /** Session names, in the order first seen. */
  get sessions(): readonly string[] {
    return this._sessionList;
  }

  /** A problem to show instead of (or above) the runs, such as a protocol mismatch. */
  get notice(): string | null {
    return this._notice;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** False once nothing more will arrive (a saved snapshot): open runs stop their clocks. */
  get isLive(): boolean {
    return !this._disposed && this._frozenAtUs === null;
  }

  /**
   * Stop the clock at `atUs` (microseconds since the epoch, kernel time): the store
   * shows what was saved then, and a run without an end did not finish here.
   */
  freeze(atUs: number): void {
    this._frozenAtUs = atUs;
    this._touch();
  }

  get(id: string): Run | undefined {
    return this._runs.get(id);
  }

  /** Top-level runs (no parent, or a parent not received), in `dotted_order`. */
  roots(): readonly string[] {
    return this._roots;
  }

  /** Child run ids of `id`, in `dotted_order`. */
  children(id: string): readonly string[] {
    return this._children.get(id) ?? NO_IDS;
  }

  hasChildren(id: string): boolean {
    return this.children(id).length > 0;
  }

  status(id: string): RunStatus | undefined {
    const run = this._runs.get(id);
    return run && runStatus(run);
  }

  /**
   * Latency in microseconds: end - start, or for a running run the time
   * elapsed so far, corrected for the difference between the kernel's clock
   * and the browser's.
   */
  latencyUs(run: Run, nowMs: number = this._now()): number {
    return latencyUs(run, this.nowUs(nowMs));
  }

  /**
   * Now on the kernel's clock, in microseconds: the browser's clock less the
   * smallest delay seen between a run's start and its arrival (or where a frozen
   * store's clock stopped).
   */
  nowUs(nowMs: number = this._now()): number {
    if (this._frozenAtUs !== null) {
      return this._frozenAtUs;
    }
    const offset = Number.isFinite(this._clockOffsetUs) ? this._clockOffsetUs : 0;
    return nowMs * 1000 - offset;
  }

  /** Apply a batch of run events. */
  apply(message: RunsMessage): void {
    for (const event of message.events) {
      if (event.op === 'start') {
        this.applyStart(event.run);
      } else if (event.op === 'end') {
        this.applyEnd(event.run);
      } else {
        this.applyStream(event.run);
      }
    }
  }

  applyStart(start: RunStart): void {
    const prev = this._runs.get(start.id);
    let run = mergeStart(prev, start);
    const pending = this._pendingEnds.get(start.id);
    if (pending !== undefined) {
      this._pendingEnds.delete(start.id);
      run = applyEnd(run, pending);
    }
    if (prev === undefined) {
      this._runs.set(run.id, run);
      this._attach(run, true);
    } else if (
      parentOf(prev) !== parentOf(run) ||
      prev.dotted_order !== run.dotted_order
    ) {
      this._detach(prev);
      this._runs.set(run.id, run);
      this._attach(run, false);
    } else {
      this._runs.set(run.id, run);
    }
    this._account(prev, run);
    this._observeClock(run);
    this._touch();
  }

  applyEnd(end: RunEnd): void {
    const prev = this._runs.get(end.id);
    if (prev === undefined) {
      const held = this._pendingEnds.get(end.id);
      this._pendingEnds.set(end.id, held ? mergeEnds(held, end) : end);
      return;
    }
    const run = applyEnd(prev, end);
    this._runs.set(run.id, run);
    this._account(prev, run);
    this._touch();
  }

  /** Streamed text of a running LLM run; text for a run not received yet is dropped (its end has it all). */
  applyStream(stream: RunStream): void {
    const prev = this._runs.get(stream.id);
    if (prev === undefined) {
      return;
    }
    const run = appendStream(prev, stream.text);
    if (run !== prev) {
      this._runs.set(run.id, run);
      this._touch();
    }
  }

  setNotice(notice: string | null): void {
    if (notice !== this._notice) {
      this._notice = notice;
      this._touch();
    }
  }

  /** Fire a pending `changed` now instead of at the next frame. */
  flush(): void {
    this._coalescer.flush();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._coalescer.dispose();
    Signal.clearData(this);
  }

  private _attach(run: Run, isNew: boolean): void {
    const parent = parentOf(run);
    if (parent !== null) {
      let siblings = this._children.get(parent);
      if (siblings === undefined) {
        siblings = [];
        this._children.set(parent, siblings);
      }
      insertSorted(siblings, run.id, this._keyOf);
    }
    if (parent === null || !this._runs.has(parent)) {
      insertSorted(this._roots, run.id, this._keyOf);
    }
    if (isNew) {
      // Children that arrived before this run were shown as roots: adopt them.
      for (const child of this._children.get(run.id) ?? NO_IDS) {
        const c = this._runs.get(child);
        if (c !== undefined) {
          removeSorted(this._roots, child, c.dotted_order, this._keyOf);
        }
      }
    }
    this._structureVersion++;
  }

  private _detach(run: Run): void {
    const parent = parentOf(run);
    if (parent !== null) {
      const siblings = this._children.get(parent);
      if (siblings !== undefined) {
        removeSorted(siblings, run.id, run.dotted_order, this._keyOf);
      }
    }
    if (parent === null || !this._runs.has(parent)) {
      removeSorted(this._roots, run.id, run.dotted_order, this._keyOf);
    }
    this._structureVersion++;
  }

  /** Keep the running/error counts and the session list up to date. */
  private _account(prev: Run | undefined, next: Run): void {
    if (prev !== undefined) {
      this._count(runStatus(prev), -1);
      this._countSession(prev.session_name, -1);
    }
    this._count(runStatus(next), 1);
    this._countSession(next.session_name, 1);
  }

  private _count(status: RunStatus, delta: number): void {
    if (status === 'running') {
      this._running += delta;
    } else if (status === 'error') {
      this._errors += delta;
    }
  }

  private _countSession(name: string, delta: number): void {
    const n = (this._sessions.get(name) ?? 0) + delta;
    if (n > 0) {
      if (!this._sessions.has(name)) {
        this._sessionList = [...this._sessionList, name];
      }
      this._sessions.set(name, n);
    } else if (this._sessions.delete(name)) {
      this._sessionList = this._sessionList.filter(s => s !== name);
    }
  }

  /**
   * Estimate how far the browser's clock is ahead of the kernel's: a start is
   * received after it happened, so the smallest (received - started) seen is
   * the best bound on the skew plus delivery delay.
   */
  private _observeClock(run: Run): void {
    const seen = this._now() * 1000 - run.startUs;
    if (seen < this._clockOffsetUs) {
      this._clockOffsetUs = seen;
    }
  }

  private _touch(): void {
    this._version++;
    this._coalescer.request();
  }

  private _publish(): void {
    if (this._publishedVersion !== this._version) {
      this._publishedVersion = this._version;
      this._changed.emit(undefined);
    }
  }

  private readonly _keyOf = (id: string): string =>
    this._runs.get(id)?.dotted_order ?? '';

  private readonly _now: () => number;
  private readonly _runs = new Map<string, Run>();
  private readonly _children = new Map<string, string[]>();
  private readonly _roots: string[] = [];
  private readonly _pendingEnds = new Map<string, RunEnd>();
  private readonly _sessions = new Map<string, number>();
  private _sessionList: readonly string[] = [];
  private _running = 0;
  private _errors = 0;
  private _notice: string | null = null;
  private _clockOffsetUs = Infinity;
  private _frozenAtUs: number | null = null;
  private _version = 0;
  private _publishedVersion = 0;
  private _structureVersion = 0;
  private _disposed = false;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _coalescer = new FrameCoalescer(() => this._publish());
}

/** The parent id, treating a run that names itself as its parent as a root. */
function parentOf(run: RunStart): string | null {
  const parent = run.parent_run_id ?? null;
  return parent === run.id ? null : parent;
}
