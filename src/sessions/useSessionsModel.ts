/**
 * Subscribe a component to a SessionsModel: the one place views listen to its
 * signal. Returns the model's version, so a change re-renders the component.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { SessionsModel } from './sessionsModel';

export function useSessionsModel(model: SessionsModel): number {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const slot = (): void => onChange();
      model.changed.connect(slot);
      return () => {
        model.changed.disconnect(slot);
      };
    },
    [model]
  );
  const snapshot = useCallback(() => model.version, [model]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
