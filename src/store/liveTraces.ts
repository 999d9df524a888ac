/**
 * The run stores that live widgets are filling right now. Each TraceModel
 * registers its store while it exists (a saved snapshot's renderer too); the
 * Explore panel asks `find(traceId)` so a trace still running keeps updating
 * in the panel too.
 */
import type { IDisposable } from '@lumino/disposable';
import type { RunStore } from './runStore';

export class LiveTraces {
  /** Add a store; dispose the result to remove it again. */
  register(store: RunStore): IDisposable {
    this._stores.push(store);
    let disposed = false;
    return {
      get isDisposed() {
        return disposed;
      },
      dispose: () => {
        if (!disposed) {
          disposed = true;
          this.unregister(store);
        }
      }
    };
  }

  unregister(store: RunStore): void {
    const i = this._stores.lastIndexOf(store);
    if (i >= 0) {
      this._stores.splice(i, 1);
    }
  }

  /**
   * The store holding runs of `traceId`, or `null`. A live store (still
   * receiving runs) wins over a saved snapshot's; among equals, the most
   * recently registered (a re-run cell's new widget over a stale one).
   */
  find(traceId: string): RunStore | null {
    let frozen: RunStore | null = null;
    for (let i = this._stores.length - 1; i >= 0; i--) {
      const store = this._stores[i];
      if (store.isDisposed || !holdsTrace(store, traceId)) {
        continue;
      }
      if (store.isLive) {
        return store;
      }
      frozen ??= store;
    }
    return frozen;
  }

  get size(): number {
    return this._stores.length;
  }

  private readonly _stores: RunStore[] = [];
}

/** Whether `store` has a run of `traceId`: its root (id = trace id) or a top-level run of it. */
export function holdsTrace(store: RunStore, traceId: string): boolean {
  if (store.get(traceId) !== undefined) {
    return true;
  }
  return store.roots().some(id => store.get(id)?.trace_id === traceId);
}

/** The registry of this page: TraceModels register here, Explore looks here. */
export const liveTraces = new LiveTraces();
