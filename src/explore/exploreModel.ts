/**
 * The state of one Explore panel: which trace, the store its runs come from,
 * and the selected run. A plain class: no DOM, no Lumino widgets. Its
 * `changed` signal announces selection and loading; the runs' own changes
 * come from the store's signal.
 *
 * The store is a live widget's store (a running trace keeps updating here),
 * else one filled from the server's store (a saved snapshot's shows meanwhile,
 * and stays if the server cannot be reached). The panel holds its own
 * reference: when the notebook closes, the live store just stops updating.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { StoredRun } from '../api/types';
import type { Run } from '../store/run';
import { RunStore } from '../store/runStore';
import { type ResolvedRun, RunDetails, type RunLoader } from './runDetails';
import type { ExportableRun } from './download';
import { deepestFailedRun, traceOrder, traceRoots } from './traceRuns';

/** Loads the stored runs of a trace (the REST API in the app, a fake in tests). */
export type TraceLoader = (traceId: string) => Promise<readonly StoredRun[]>;

export type LoadState = 'loading' | 'ready' | 'failed';

export interface ExploreModelOptions {
  traceId: string;
  /** The run to select first; the trace's root otherwise. */
  runId?: string;
  /**
   * Finds a store holding the trace: a live widget's (preferred: it keeps
   * updating) or a saved snapshot's (shown while `load` fetches the whole trace).
   */
  findLive?: (traceId: string) => RunStore | null;
  load?: TraceLoader;
  /** Loads one run in full: the payloads a live record came without. */
  loadRun?: RunLoader;
}

export class ExploreModel implements IDisposable {
  constructor(options: ExploreModelOptions) {
    this.traceId = options.traceId;
    this._selected = options.runId ?? null;
    this._load = options.load ?? null;
    this._findLive = options.findLive ?? null;
    this._details = new RunDetails(options.loadRun ?? null);
    this._details.changed.connect(() => this._changed.emit(undefined));
    const found = this._findLive?.(this.traceId) ?? null;
    if (found !== null && found.isLive) {
      this._store = found;
      this._live = true;
      this._state = 'ready';
    } else if (found !== null && this._load === null) {
      // A saved snapshot, and no server to ask for more: show what it has.
      this._store = found;
      this._state = 'ready';
    } else {
      // A saved snapshot (payloads cut, runs left out) shows at once; the
      // server's store has the whole trace.
      this._store = found ?? new RunStore();
      this._ownsStore = found === null;
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

  /** Whether the runs come from a live widget that is still open (not a saved snapshot). */
  get isLive(): boolean {
    return this._live && this._store.isLive;
  }

  /** Whether the runs can be (re)loaded: they are not live (any more). */
  get canReload(): boolean {
    return !this.isLive && (this._load !== null || this._findLive !== null);
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

  /**
   * A run with its inputs, outputs, extra and events: a live record may come
   * without them, and they are then loaded from the store (`changed` says when).
   */
  resolve(run: Run): ResolvedRun {
    return this._details.resolve(run);
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

  /**
   * (Re)load the trace: from a live store if one holds it now, else from the
   * server into a fresh store. The selection stays.
   */
  async reload(): Promise<void> {
    const found = this._findLive?.(this.traceId) ?? null;
    if (found !== null && found.isLive) {
      if (found !== this._store) {
        this._replaceStore(found, false);
      }
      this._live = true;
      this._state = 'ready';
      this._error = null;
      this._ticket++;
      this._changed.emit(undefined);
      return;
    }
    if (found !== null && this._store.size === 0 && found !== this._store) {
      this._replaceStore(found, false);
    }
    const load = this._load;
    if (load === null) {
      const has = this._store.size > 0;
      this._state = has ? 'ready' : 'failed';
      this._error = has
        ? null
        : 'This trace is not in any open notebook, and the nbtrace server is not available.';
      this._changed.emit(undefined);
      return;
    }
    const ticket = ++this._ticket;
    this._state = 'loading';
    this._error = null;
    this._changed.emit(undefined);
    let error: string | null = null;
    try {
      const runs = await load(this.traceId);
      if (this._disposed || ticket !== this._ticket) {
        return;
      }
      if (runs.length > 0) {
        const store = new RunStore();
        for (const run of runs) {
          store.applyStart(run);
        }
        store.flush();
        this._replaceStore(store, true);
      } else {
        error = 'No runs of this trace are in the nbtrace store.';
      }
    } catch (e) {
      if (this._disposed || ticket !== this._ticket) {
        return;
      }
      error = e instanceof Error ? e.message : String(e);
    }
    // What a saved snapshot showed stays when the server cannot do better.
    const has = this._store.size > 0;
    this._state = error !== null && !has ? 'failed' : 'ready';
    this._error = has ? null : error;
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
    this._details.dispose();
    if (this._ownsStore) {
      this._store.dispose();
    }
    Signal.clearData(this);
  }

  private _replaceStore(store: RunStore, owned: boolean): void {
    if (this._ownsStore) {
      this._store.dispose();
    }
    this._store = store;
    this._ownsStore = owned;
    this._live = !owned;
  }

  private _store: RunStore;
  private _ownsStore = false;
  private _live = false;
  private _selected: string | null;
  private _state: LoadState = 'loading';
  private _error: string | null = null;
  private _ticket = 0;
  private _disposed = false;
  /**
   * Every run of the trace in full, for "Download trace": from the server's store when it
   * answers (whole payloads), else as this panel holds them.
   */
  async runsForDownload(): Promise<readonly ExportableRun[]> {
    if (this._load !== null) {
      try {
        return await this._load(this.traceId);
      } catch {
        // the server cannot be reached: what the panel holds is what there is
      }
    }
    const store = this.store;
    return traceOrder(store, this.traceId).ids.flatMap(id => {
      const run = store.get(id);
      return run === undefined ? [] : [run];
    });
  }

  private readonly _load: TraceLoader | null;
  private readonly _findLive: ((traceId: string) => RunStore | null) | null;
  private readonly _details: RunDetails;
  private readonly _changed = new Signal<this, void>(this);
}
