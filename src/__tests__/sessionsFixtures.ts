/**
 * A fake nbtrace server for the Sessions sidebar tests: sessions and traces in
 * memory, answering like sdk/nbtrace/server/routes.py (newest first, totals,
 * 404 / 409 / 400 with the server's messages). Every call is recorded.
 */
import { ApiError } from '../api/client';
import type { IServerInfo, ISessionInfo, ITracePage, ITraceSummary } from '../api/types';
import type { ISessionsClient } from '../sessions/sessionsModel';

const BASE = Date.UTC(2024, 0, 15, 12, 0, 0);

/** Trace number `i` (its start time grows with `i`). */
export function makeTrace(i: number, overrides: Partial<ITraceSummary> = {}): ITraceSummary {
  const start = new Date(BASE + i * 1000);
  const end = new Date(BASE + i * 1000 + 250);
  return {
    trace_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `chain_${i}`,
    run_type: 'chain',
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    error: null,
    run_count: 3,
    total_tokens: null,
    session_name: 'default',
    ...overrides
  };
}

export class FakeServer implements ISessionsClient {
  infoAnswer: IServerInfo | Error = { version: '0.1.0', protocol: 1, store: '/tmp/traces.sqlite' };
  /** The next session-list request fails with this error (once). */
  failSessionsOnce: Error | null = null;
  readonly calls: string[] = [];
  private readonly _sessions = new Map<string, { created: string; traces: ITraceSummary[] }>();

  constructor() {
    this.addSession('default');
  }

  addSession(name: string): void {
    this._sessions.set(name, { created: new Date(BASE).toISOString(), traces: [] });
  }

  /** Record traces to a session (created if missing). */
  record(session: string, ...traces: ITraceSummary[]): void {
    if (!this._sessions.has(session)) {
      this.addSession(session);
    }
    const list = this._sessions.get(session)!.traces;
    list.push(...traces.map(t => ({ ...t, session_name: session })));
    list.sort((a, b) => (a.start_time < b.start_time ? 1 : a.start_time > b.start_time ? -1 : 0));
  }

  removeSession(name: string): void {
    this._sessions.delete(name);
  }

  async info(): Promise<IServerInfo> {
    this.calls.push('info');
    if (this.infoAnswer instanceof Error) {
      throw this.infoAnswer;
    }
    return this.infoAnswer;
  }

  async sessions(): Promise<ISessionInfo[]> {
    this.calls.push('sessions');
    if (this.failSessionsOnce) {
      const error = this.failSessionsOnce;
      this.failSessionsOnce = null;
      throw error;
    }
    // Deliberately not in display order: the model sorts.
    return Array.from(this._sessions.entries())
      .reverse()
      .map(([name, s]) => this._info(name, s));
  }

  async createSession(name: string): Promise<ISessionInfo> {
    this.calls.push(`create ${name}`);
    if (this._sessions.has(name)) {
      throw new ApiError(409, `a session named '${name}' exists already`);
    }
    this.addSession(name);
    return this._info(name, this._sessions.get(name)!);
  }

  async renameSession(name: string, newName: string): Promise<void> {
    this.calls.push(`rename ${name} ${newName}`);
    if (name === 'default') {
      throw new ApiError(400, 'the default session cannot be renamed');
    }
    const session = this._sessions.get(name);
    if (!session) {
      throw new ApiError(404, `no session named '${name}'`);
    }
    if (this._sessions.has(newName)) {
      throw new ApiError(409, `a session named '${newName}' exists already`);
    }
    this._sessions.delete(name);
    this._sessions.set(newName, session);
  }

  async deleteSession(name: string): Promise<void> {
    this.calls.push(`delete ${name}`);
    if (name === 'default') {
      throw new ApiError(400, 'the default session cannot be deleted');
    }
    if (!this._sessions.delete(name)) {
      throw new ApiError(404, `no session named '${name}'`);
    }
  }

  async traces(session: string, offset = 0, limit = 100): Promise<ITracePage> {
    this.calls.push(`traces ${session} ${offset}`);
    const s = this._sessions.get(session);
    if (!s) {
      throw new ApiError(404, `no session named '${session}'`);
    }
    return { traces: s.traces.slice(offset, offset + limit), total: s.traces.length, limit, offset };
  }

  /** Calls of one kind (`traces`, `sessions`, …). */
  callsOf(kind: string): string[] {
    return this.calls.filter(c => c === kind || c.startsWith(`${kind} `));
  }

  private _info(name: string, s: { created: string; traces: ITraceSummary[] }): ISessionInfo {
    const last = s.traces.reduce<string | null>(
      (max, t) => (max === null || (t.end_time ?? t.start_time) > max ? t.end_time ?? t.start_time : max),
      null
    );
    return {
      name,
      run_count: s.traces.reduce((n, t) => n + t.run_count, 0),
      trace_count: s.traces.length,
      last_activity: last,
      created_at: s.created
    };
  }
}
