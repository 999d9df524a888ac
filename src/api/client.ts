/**
 * The REST client of the nbtrace server extension (`<base_url>/nbtrace/api/`).
 * Requests go through JupyterLab's ServerConnection, so they carry its auth.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { IServerInfo, ISessionInfo, ITracePage, StoredRun } from './types';

/** An error answer from the server, with its status and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NbtraceClient {
  constructor(private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  info(): Promise<IServerInfo> {
    return this.request<IServerInfo>('GET', ['info']);
  }

  async sessions(): Promise<ISessionInfo[]> {
    return (await this.request<{ sessions: ISessionInfo[] }>('GET', ['sessions'])).sessions;
  }

  async createSession(name: string): Promise<ISessionInfo> {
    return (await this.request<{ session: ISessionInfo }>('POST', ['sessions'], { name })).session;
  }

  async renameSession(name: string, newName: string): Promise<void> {
    await this.request('PATCH', ['sessions', name], { name: newName });
  }

  async deleteSession(name: string): Promise<void> {
    await this.request('DELETE', ['sessions', name]);
  }

  traces(session: string, offset = 0, limit = 100): Promise<ITracePage> {
    return this.request<ITracePage>('GET', ['sessions', session, 'traces'], undefined, { offset, limit });
  }

  async traceRuns(traceId: string): Promise<StoredRun[]> {
    return (await this.request<{ runs: StoredRun[] }>('GET', ['traces', traceId, 'runs'])).runs;
  }

  async run(runId: string): Promise<StoredRun> {
    return (await this.request<{ run: StoredRun }>('GET', ['runs', runId])).run;
  }

  private async request<T>(
    method: string,
    parts: string[],
    body?: unknown,
    query?: Record<string, number | string>
  ): Promise<T> {
    const path = URLExt.join(this.settings.baseUrl, 'nbtrace', 'api', ...parts.map(encodeURIComponent));
    const search = query
      ? '?' + Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')
      : '';
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(path + search, init, this.settings);
    } catch (error) {
      throw new ApiError(0, `nbtrace: the server could not be reached (${String(error)})`);
    }
    const text = await response.text();
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }
    if (!response.ok) {
      const message =
        typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
          ? data.message
          : response.statusText || `HTTP ${response.status}`;
      throw new ApiError(response.status, message);
    }
    return data as T;
  }
}
