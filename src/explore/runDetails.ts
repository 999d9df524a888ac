/**
 * The payloads (inputs, outputs, extra, events) of runs whose live record
 * came without them: with a shared store the kernel sends views only what the
 * tree draws, and Explore reads the rest from the store (REST `runs/<id>`),
 * when a run is first shown and again once it ends. The kernel writes to the
 * store in batches, so a run not there yet is asked for again shortly.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { StoredRun } from '../api/types';
import type { Run } from '../store/run';

/** Loads one stored run in full (the REST API in the app, a fake in tests). */
export type RunLoader = (runId: string) => Promise<StoredRun>;

export interface ResolvedRun {
  /** The run with its payloads when they are known. */
  readonly run: Run;
  /** Its payloads are being loaded. */
  readonly pending: boolean;
  /** Why they could not be loaded. */
  readonly error: string | null;
}

/** Whether a run's record came without its payloads. */
export function lacksPayloads(run: Run): boolean {
  return run.inputs === undefined && run.extra === undefined;
}

/** The live run, its missing payloads taken from the stored record. */
export function withPayloads(run: Run, stored: StoredRun): Run {
  return {
    ...run,
    inputs: run.inputs ?? stored.inputs,
    outputs: run.outputs ?? stored.outputs,
    extra: run.extra ?? stored.extra,
    events: run.events ?? stored.events
  };
}

interface Entry {
  /** What the run looked like when asked: a new end asks again. */
  readonly key: string;
  stored: StoredRun | null;
  pending: boolean;
  error: string | null;
  tries: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** The last merge, reused while the live run is the same object. */
  mergedFrom: Run | null;
  merged: Run | null;
}

export interface RunDetailsOptions {
  retryMs?: number;
  maxTries?: number;
}

export class RunDetails implements IDisposable {
  constructor(
    private readonly _load: RunLoader | null,
    options: RunDetailsOptions = {}
  ) {
    this._retryMs = options.retryMs ?? 600;
    this._maxTries = options.maxTries ?? 6;
  }

  /** A run's payloads arrived (or could not). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The run with its payloads: as it is when it has them, else loaded (once per state). */
  resolve(run: Run): ResolvedRun {
    if (!lacksPayloads(run) || this._load === null || this._disposed) {
      return { run, pending: false, error: null };
    }
    const key = `${run.end_time ?? ''}|${run.error ? 'error' : ''}`;
    let entry = this._entries.get(run.id);
    if (entry === undefined || entry.key !== key) {
      entry = this._start(run.id, key, entry);
    }
    let merged = run;
    if (entry.stored !== null) {
      if (entry.mergedFrom !== run || entry.merged === null) {
        entry.mergedFrom = run;
        entry.merged = withPayloads(run, entry.stored);
      }
      merged = entry.merged;
    }
    return { run: merged, pending: entry.pending, error: entry.error };
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    for (const entry of this._entries.values()) {
      if (entry.timer !== null) {
        clearTimeout(entry.timer);
      }
    }
    this._entries.clear();
    Signal.clearData(this);
  }

  private _start(runId: string, key: string, previous: Entry | undefined): Entry {
    if (previous?.timer) {
      clearTimeout(previous.timer);
    }
    const entry: Entry = {
      key,
      // Keep showing what was loaded before (the run's inputs while it ran).
      stored: previous?.stored ?? null,
      pending: true,
      error: null,
      tries: 0,
      timer: null,
      mergedFrom: null,
      merged: null
    };
    this._entries.set(runId, entry);
    this._fetch(runId, entry);
    return entry;
  }

  private _fetch(runId: string, entry: Entry): void {
    entry.tries++;
    const ended = !entry.key.startsWith('|');
    this._load!(runId).then(
      stored => {
        if (this._current(runId, entry)) {
          entry.stored = stored;
          entry.mergedFrom = null;
          this._changed.emit(undefined);
          // Ended here, not yet in the store: the kernel's write is on its way.
          const behind = ended && !stored.end_time;
          this._settle(runId, entry, behind ? 'the run has not reached the store yet' : null);
        }
      },
      (error: unknown) => {
        if (this._current(runId, entry)) {
          this._settle(runId, entry, error instanceof Error ? error.message : String(error));
        }
      }
    );
  }

  /** Done, or try again a little later while tries remain. */
  private _settle(runId: string, entry: Entry, problem: string | null): void {
    if (problem !== null && entry.tries < this._maxTries) {
      entry.timer = setTimeout(() => {
        entry.timer = null;
        if (this._current(runId, entry)) {
          this._fetch(runId, entry);
        }
      }, this._retryMs);
      return;
    }
    entry.pending = false;
    entry.error = problem;
    this._changed.emit(undefined);
  }

  private _current(runId: string, entry: Entry): boolean {
    return !this._disposed && this._entries.get(runId) === entry;
  }

  private readonly _entries = new Map<string, Entry>();
  private readonly _retryMs: number;
  private readonly _maxTries: number;
  private _disposed = false;
  private readonly _changed = new Signal<this, void>(this);
}
