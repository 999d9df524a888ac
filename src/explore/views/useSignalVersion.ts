/**
 * Re-render a component when a Lumino signal fires (the Explore model's
 * `changed`); the run store has its own hook in components/useRunStore.ts.
 */
import type { ISignal } from '@lumino/signaling';
import { useCallback, useRef, useSyncExternalStore } from 'react';

export function useSignalVersion<T>(signal: ISignal<T, void>): number {
  const version = useRef(0);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const slot = (): void => {
        version.current++;
        onChange();
      };
      signal.connect(slot);
      return () => {
        signal.disconnect(slot);
      };
    },
    [signal]
  );
  const snapshot = useCallback(() => version.current, []);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
