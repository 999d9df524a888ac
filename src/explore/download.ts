/**
 * "Download trace": a trace's runs as JSON Lines with the fields, in the order, of
 * `nbtrace export` (sdk/nbtrace/export.py), so `nbtrace import` / `nbtrace.load_runs`
 * bring the file back.
 */
export const RUN_FIELDS = [
  'id',
  'trace_id',
  'parent_run_id',
  'dotted_order',
  'name',
  'run_type',
  'start_time',
  'end_time',
  'inputs',
  'outputs',
  'error',
  'tags',
  'extra',
  'events',
  'session_name',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens'
] as const;

/** What an exported run is made of (a stored run and a store's run both are). */
export type ExportableRun = Readonly<Partial<Record<(typeof RUN_FIELDS)[number], unknown>>>;

/** One line per run, LangSmith's field names, missing fields as null. */
export function toJsonLines(runs: readonly ExportableRun[]): string {
  return runs
    .map(run => {
      const record: Record<string, unknown> = {};
      for (const key of RUN_FIELDS) {
        record[key] = run[key] ?? null;
      }
      return JSON.stringify(record);
    })
    .join('\n')
    .concat(runs.length > 0 ? '\n' : '');
}

/** A file name from the root run's name: letters, digits, dashes and underscores only. */
export function downloadName(rootName: string | undefined, traceId: string): string {
  const base = (rootName ?? '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return `${base || 'trace'}-${traceId.slice(0, 8)}.jsonl`;
}

/** Hand `text` to the browser as a file download. */
export function saveText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
