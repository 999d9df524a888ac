/**
 * Whether a live message shows that this view missed earlier runs: it names a run
 * the store never saw (an end, streamed text) or a parent the store never saw. A
 * view created with its widget receives everything from the trace's first start,
 * so this is true only for a view created later (a page reload mid-run).
 */
import type { RunsMessage } from '../protocol';

export function missesEarlierRuns(message: RunsMessage, has: (id: string) => boolean): boolean {
  const started = new Set<string>();
  const known = (id: string): boolean => started.has(id) || has(id);
  for (const event of message.events) {
    if (event.op === 'start') {
      const parent = event.run.parent_run_id;
      if (parent !== null && parent !== undefined && !known(parent)) {
        return true;
      }
      started.add(event.run.id);
    } else if (!known(event.run.id)) {
      return true;
    }
  }
  return false;
}
