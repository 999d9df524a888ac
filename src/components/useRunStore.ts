/**
 * React hooks that subscribe a component to a run store. Components get the
 * store through props; these are the only places that listen to its signal.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { RunStore } from '../store/runStore';

/** Re-render when the store publishes a change; returns the store's version. */
export function useStoreVersion(store: RunStore): number {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const slot = (): void => onChange();
      store.changed.connect(slot);
      return () => {
        store.changed.disconnect(slot);
      };
    },
    [store]
  );
  const snapshot = useCallback(() => store.version, [store]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** The browser clock, ticking every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 100): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) {
      return;
    }
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
