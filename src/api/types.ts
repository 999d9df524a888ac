/**
 * What the nbtrace server extension answers (sdk/nbtrace/server/routes.py).
 * Runs have the same fields as the kernel protocol's full run record.
 */
import type { RunStart } from '../protocol';

export interface ISessionInfo {
  name: string;
  run_count: number;
  trace_count: number;
  last_activity: string | null;
  created_at: string | null;
}

export interface ITraceSummary {
  trace_id: string;
  name: string;
  run_type: string;
  start_time: string;
  end_time: string | null;
  error: string | null;
  run_count: number;
  total_tokens: number | null;
  session_name: string;
}

export interface ITracePage {
  traces: ITraceSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface IServerInfo {
  version: string;
  protocol: number;
  store: string;
}

/** A stored run: every field of a run start plus its end fields. */
export type StoredRun = RunStart;
