/**
 * A saved snapshot as a run store: the runs as they were when the notebook was
 * saved, with the clock stopped there, and a notice when the copy is partial.
 */
import type { SnapshotMessage } from '../protocol';
import { RunStore } from '../store/runStore';
import { parseTimeUs } from '../store/time';

export function snapshotNotice(snapshot: SnapshotMessage): string | null {
  const parts: string[] = snapshot.note !== undefined ? [snapshot.note] : [];
  if (!snapshot.final) {
    parts.push('Saved while runs were still going: a run shown as running did not finish in this copy.');
  }
  if (snapshot.omitted_runs > 0) {
    const kept = snapshot.run_count - snapshot.omitted_runs;
    parts.push(
      `This copy keeps ${kept.toLocaleString('en-US')} of ${snapshot.run_count.toLocaleString('en-US')} runs; ` +
        'Explore loads the rest from the nbtrace store.'
    );
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

export function snapshotStore(snapshot: SnapshotMessage, store: RunStore = new RunStore()): RunStore {
  store.apply({
    protocol: snapshot.protocol,
    kind: 'runs',
    events: snapshot.runs.map(run => ({ op: 'start', run }))
  });
  const created = snapshot.created !== undefined ? parseTimeUs(snapshot.created) : null;
  const lastSeen = Math.max(
    0,
    ...snapshot.runs.map(run => parseTimeUs(run.end_time ?? run.start_time) ?? 0)
  );
  store.freeze(created ?? lastSeen);
  store.setNotice(snapshotNotice(snapshot));
  store.flush();
  return store;
}
