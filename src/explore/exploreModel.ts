/**
 * The state of one Explore panel: which trace, the store its runs come from,
 * and the selected run. A plain class: no DOM, no Lumino widgets. Its
 * `changed` signal announces selection and loading; the runs' own changes
 * come from the store's signal.
 *
 * The store is either a live widget's store (a running trace keeps updating
 * here) or one filled from the server's store. The panel holds its own
 * reference: when the notebook closes, the live store just stops updating.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { StoredRun } from '../api/types';
import type { Run } from '../store/run';
import { RunStore } from '../store/runStore';
import { deepestFailedRun, traceOrder, traceRoots } from './traceRuns';

/** Loads the stored runs of a trace (the REST API in the app, a fake in tests). */
export type TraceLoader = (traceId: string) => Promise<readonly StoredRun[]>;

export type LoadState = 'loading' | 'ready' | 'failed';

export interface ExploreModelOptions {
  traceId: string;
  /** The run to select first; the trace's root otherwise. */
  runId?: string;
  /** A live store that holds the trace; without one, the runs come from `load`. */
  liveStore?: RunStore | null;
  load?: TraceLoader;
}

export class ExploreModel implements IDisposable {
  constructor(options: ExploreModelOptions) {
    this.traceId = options.traceId;
    this._selected = options.runId ?? null;
    this._load = options.load ?? null;
    if (options.liveStore) {
      this._store = options.liveStore;
      this._live = true;
      this._state = 'ready';
    } else {
      this._store = new RunStore();
      this._ownsStore = true;
      void this.reload();
    }
  }

  readonly traceId: string;

  /** Selection, store replacement and loading changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get store(): RunStore {
    return this._store;
  }

  /** Whether the runs come from a live widget that is still open. */
  get isLive(): boolean {
    return this._live && !this._store.isDisposed;
  }

  /** Whether the runs can be (re)loaded from the server's store. */
  get canReload(): boolean {
    return this._load !== null && !this.isLive;
  }

  get loadState(): LoadState {
    return this._state;
  }

  get loadError(): string | null {
    return this._error;
  }

  /** The trace's top-level run (its id is the trace id), once it is known. */
  get rootRun(): Run | undefined {
    const root = this._store.get(this.traceId);
    if (root !== undefined) {
      return root;
    }
    const first = traceRoots(this._store, this.traceId)[0];
    return first === undefined ? undefined : this._store.get(first);
  }

  /** The panel's title: the root run's name. */
  get title(): string {
    return this.rootRun?.name ?? `Trace ${this.traceId.slice(0, 8)}`;
  }

  /**
   * The selected run id: the one chosen (even if its run has not arrived
   * yet), else the root run.
   */
  get selectedId(): string | null {
    return this._selected ?? this.rootRun?.id ?? null;
  }

  get selectedRun(): Run | undefined {
    const id = this.selectedId;
    return id === null ? undefined : this._store.get(id);
  }

  select(id: string | null): void {
    if (id !== this._selected) {
      this._selected = id;
      this._changed.emit(undefined);
    }
  }

  /** Select the deepest failed run; returns whether there was one. */
  jumpToFailure(): boolean {
    const failed = deepestFailedRun(this._store, traceOrder(this._store, this.traceId));
    if (failed !== null) {
      this.select(failed);
    }
    return failed !== null;
  }

  /** (Re)load the trace from the server into a fresh store; the selection stays. */
  async reload(): Promise<void> {
    const load = this._load;
    if (load === null) {
      this._state = 'failed';
      this._error = 'This trace is not in any open notebook, and the nbtrace server is not available.';
      this._changed.emit(undefined);
      return;
    }
    const ticket = ++this._ticket;
    this._state = 'loading';
    this._error = null;
    this._changed.emit(undefined);
    try {
      const runs = await load(this.traceId);
      if (this._disposed || ticket !== this._ticket) {
        return;
      }
      const store = new RunStore();
      for (const run of runs) {
        store.applyStart(run);
      }
      store.flush();
      this._replaceStore(store);
      this._state = 'ready';
      if (runs.length === 0) {
        this._state = 'failed';
        this._error = 'No runs of this trace are in the store.';
      }
    } catch (error) {
      if (this._disposed || ticket !== this._ticket) {
        return;
      }
      this._state = 'failed';
      this._error = error instanceof Error ? error.message : String(error);
    }
    this._changed.emit(undefined);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._ownsStore) {
      this._store.dispose();
    }
    Signal.clearData(this);
  }

  private _replaceStore(store: RunStore): void {
    if (this._ownsStore) {
      this._store.dispose();
    }
    this._store = store;
    this._ownsStore = true;
    this._live = false;
  }

  private _store: RunStore;
  private _ownsStore = false;
  private _live = false;
  private _selected: string | null;
  private _state: LoadState = 'loading';
  private _error: string | null = null;
  private _ticket = 0;
  private _disposed = false;
  private readonly _load: TraceLoader | null;
  private readonly _changed = new Signal<this, void>(this);
}
