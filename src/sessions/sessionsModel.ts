/**
 * The Sessions sidebar's state: the sessions of the store, the selected one and
 * its traces (fetched page by page, on demand), and the compatibility of the
 * server extension. A plain class: it talks to the REST client, announces every
 * change with a Lumino signal, and never touches the DOM.
 *
 * While `active` (the panel is visible) it refreshes every `pollInterval` ms:
 * the session list and the pages of traces in view, so traces recorded by any
 * kernel (or a script) appear while the panel is open.
 */
import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import { type ISignal, Signal } from '@lumino/signaling';
import { ApiError } from '../api/client';
import type { IServerInfo, ISessionInfo, ITracePage, ITraceSummary } from '../api/types';
import { PROTOCOL_VERSION } from '../protocol';
import { MODULE_VERSION } from '../version';
import { checkSessionName, nameProblemMessage } from './validate';

/** The session every store has; it cannot be renamed or deleted. */
export const DEFAULT_SESSION = 'default';

/** What the model needs from the REST client (`NbtraceClient` has it all). */
export interface ISessionsClient {
  info(): Promise<IServerInfo>;
  sessions(): Promise<ISessionInfo[]>;
  createSession(name: string): Promise<ISessionInfo>;
  renameSession(name: string, newName: string): Promise<void>;
  deleteSession(name: string): Promise<void>;
  traces(session: string, offset?: number, limit?: number): Promise<ITracePage>;
}

/**
 * `connecting` until the server extension answered `info`; `incompatible` when
 * it is missing or speaks another protocol (the notice says what to do).
 */
export type ConnectionState = 'connecting' | 'ready' | 'incompatible';

/** The outcome of create / rename / delete: the session's name, or why not. */
export type ActionResult =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly message: string };

/** Rows the model asks for: `[first, last)`. */
interface IRange {
  readonly first: number;
  readonly last: number;
}

export class SessionsModel {
  constructor(options: SessionsModel.IOptions) {
    this._client = options.client;
    this._trans = (options.translator ?? nullTranslator).load('nbtrace');
    this._interval = options.pollInterval ?? 2000;
    this._pageSize = options.pageSize ?? 100;
  }

  /** Emitted after every change of anything below. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Grows by one with each change (a snapshot for `useSyncExternalStore`). */
  get version(): number {
    return this._version;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** A sentence for the user when the server is missing, incompatible or unreachable. */
  get notice(): string | null {
    return this._notice;
  }

  /** `info` of the server extension, once it answered. */
  get serverInfo(): IServerInfo | null {
    return this._serverInfo;
  }

  /** Every session, `default` first, then by name. */
  get sessions(): readonly ISessionInfo[] {
    return this._sessions;
  }

  /** Whether the session list has been loaded at least once. */
  get sessionsLoaded(): boolean {
    return this._sessionsLoaded;
  }

  /** The session whose traces are listed. */
  get selected(): string {
    return this._selected;
  }

  /** How many traces the selected session has; `null` until its first page came. */
  get traceCount(): number | null {
    return this._total;
  }

  get pageSize(): number {
    return this._pageSize;
  }

  /** Whether the model is polling. */
  get active(): boolean {
    return this._active;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** The trace at `index` (0 = newest), or `undefined` while its page loads. */
  traceAt(index: number): ITraceSummary | undefined {
    const page = this._pages.get(Math.floor(index / this._pageSize));
    return page?.[index % this._pageSize];
  }

  /**
   * Start polling (refreshing at once) or stop it. The panel calls this when
   * it is shown or hidden.
   */
  setActive(active: boolean): void {
    if (this._disposed || active === this._active) {
      return;
    }
    this._active = active;
    if (active) {
      this._tick();
    } else {
      this._clearTimer();
    }
  }

  /** The rows in view, `[first, last)`: their pages load now and on every refresh. */
  setVisibleRange(first: number, last: number): void {
    const range = { first: Math.max(0, first), last: Math.max(0, last) };
    if (range.first === this._range.first && range.last === this._range.last) {
      return;
    }
    this._range = range;
    this._loadMissing();
  }

  /** List the traces of another session. */
  select(name: string): void {
    if (this._disposed || name === this._selected) {
      return;
    }
    this._selected = name;
    this._epoch++;
    this._pages = new Map();
    this._loading = new Set();
    this._total = null;
    this._totalSeq = 0;
    this._range = { first: 0, last: 0 };
    this._emit();
    if (this._state === 'ready') {
      void this._fetchPage(0);
    }
  }

  /**
   * Reload the session list and the traces in view. Never rejects: trouble
   * becomes the `notice`. Concurrent calls share one refresh.
   */
  refresh(): Promise<void> {
    if (this._refreshing === null) {
      this._refreshing = this._refresh().finally(() => {
        this._refreshing = null;
      });
    }
    return this._refreshing;
  }

  /** Create a session and select it. */
  async createSession(raw: string): Promise<ActionResult> {
    const check = checkSessionName(raw);
    if (!check.ok) {
      return { ok: false, message: nameProblemMessage(check.problem, this._trans) };
    }
    let created: ISessionInfo;
    try {
      created = await this._client.createSession(check.name);
    } catch (error) {
      return { ok: false, message: this._actionError(error) };
    }
    await this._reloadSessions();
    if (!this._sessions.some(s => s.name === created.name)) {
      this._sessions = sortSessions([...this._sessions, created]);
      this._emit();
    }
    this.select(created.name);
    return { ok: true, name: created.name };
  }

  /** Rename a session (not `default`); a selected session stays selected. */
  async renameSession(name: string, raw: string): Promise<ActionResult> {
    const check = checkSessionName(raw);
    if (!check.ok) {
      return { ok: false, message: nameProblemMessage(check.problem, this._trans) };
    }
    if (check.name === name) {
      return { ok: true, name };
    }
    try {
      await this._client.renameSession(name, check.name);
    } catch (error) {
      return { ok: false, message: this._actionError(error) };
    }
    if (this._selected === name) {
      this.select(check.name);
    }
    await this._reloadSessions();
    return { ok: true, name: check.name };
  }

  /** Delete a session and its runs (not `default`). */
  async deleteSession(name: string): Promise<ActionResult> {
    try {
      await this._client.deleteSession(name);
    } catch (error) {
      // Already gone (deleted elsewhere): what the user wanted.
      if (!(error instanceof ApiError && error.status === 404)) {
        return { ok: false, message: this._actionError(error) };
      }
    }
    if (this._selected === name) {
      this.select(DEFAULT_SESSION);
    }
    await this._reloadSessions();
    return { ok: true, name };
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._active = false;
    this._clearTimer();
    Signal.clearData(this);
  }

  // -- polling ----------------------------------------------------------------

  private _tick(): void {
    this._clearTimer();
    void this.refresh().then(() => {
      if (
        this._active &&
        !this._disposed &&
        this._state !== 'incompatible' &&
        this._timer === null
      ) {
        this._timer = setTimeout(() => {
          this._timer = null;
          this._tick();
        }, this._interval);
      }
    });
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private async _refresh(): Promise<void> {
    if (this._disposed || this._state === 'incompatible') {
      return;
    }
    if (this._state === 'connecting' && !(await this._checkServer())) {
      return;
    }
    if (!(await this._reloadSessions())) {
      return;
    }
    await Promise.all(this._pagesInView().map(index => this._fetchPage(index)));
  }

  /** Ask the server extension who it is, once. False if it cannot be used (yet). */
  private async _checkServer(): Promise<boolean> {
    let info: IServerInfo;
    try {
      info = await this._client.info();
    } catch (error) {
      if (this._disposed) {
        return false;
      }
      if (error instanceof ApiError && error.status === 404) {
        this._state = 'incompatible';
        this._setNotice(
          this._trans.__(
            'The nbtrace server extension is not running, so sessions cannot be listed. Install nbtrace in the Python environment that runs JupyterLab (pip install nbtrace), check that "jupyter server extension list" shows nbtrace enabled, then restart JupyterLab.'
          )
        );
      } else {
        this._setNotice(this._trouble(error));
      }
      return false;
    }
    if (this._disposed) {
      return false;
    }
    this._serverInfo = info;
    if (info.protocol !== PROTOCOL_VERSION) {
      this._state = 'incompatible';
      this._setNotice(
        this._trans.__(
          'The nbtrace server extension (version %1) speaks protocol %2, but this JupyterLab extension (version %3) speaks protocol %4. Install the same nbtrace version for both (pip install --upgrade nbtrace in the Python environment that runs JupyterLab), then restart JupyterLab.',
          info.version,
          info.protocol,
          MODULE_VERSION,
          PROTOCOL_VERSION
        )
      );
      return false;
    }
    this._state = 'ready';
    this._emit();
    return true;
  }

  /** Reload the session list; false (and a notice) if that failed. */
  private async _reloadSessions(): Promise<boolean> {
    let list: ISessionInfo[];
    try {
      list = await this._client.sessions();
    } catch (error) {
      if (!this._disposed) {
        this._setNotice(this._trouble(error));
      }
      return false;
    }
    if (this._disposed) {
      return false;
    }
    const sessions = sortSessions(list);
    let changed = false;
    if (!this._sessionsLoaded || !sameJson(sessions, this._sessions)) {
      this._sessions = sessions;
      this._sessionsLoaded = true;
      changed = true;
    }
    if (this._notice !== null) {
      this._notice = null;
      changed = true;
    }
    if (changed) {
      this._emit();
    }
    if (!sessions.some(s => s.name === this._selected)) {
      // Deleted or renamed elsewhere.
      this.select(DEFAULT_SESSION);
    }
    return true;
  }

  // -- pages of traces --------------------------------------------------------

  /** The pages holding the rows in view (at least the first: it tells the total). */
  private _pagesInView(): number[] {
    const size = this._pageSize;
    const last = this._total === null ? this._range.last : Math.min(this._range.last, this._total);
    const pages: number[] = [];
    for (let p = Math.floor(this._range.first / size); p * size < last; p++) {
      pages.push(p);
    }
    return pages.length > 0 ? pages : [0];
  }

  private _loadMissing(): void {
    if (this._state !== 'ready' || this._disposed) {
      return;
    }
    for (const index of this._pagesInView()) {
      if (!this._pages.has(index)) {
        void this._fetchPage(index);
      }
    }
  }

  private async _fetchPage(index: number): Promise<void> {
    const loading = this._loading;
    if (loading.has(index)) {
      return;
    }
    const epoch = this._epoch;
    const seq = ++this._seq;
    loading.add(index);
    let page: ITracePage;
    try {
      page = await this._client.traces(this._selected, index * this._pageSize, this._pageSize);
    } catch (error) {
      loading.delete(index);
      if (this._disposed || epoch !== this._epoch) {
        return;
      }
      if (error instanceof ApiError && error.status === 404) {
        // The session went away: the reload selects `default`.
        await this._reloadSessions();
      } else {
        this._setNotice(this._trouble(error));
      }
      return;
    }
    loading.delete(index);
    if (this._disposed || epoch !== this._epoch) {
      return;
    }
    const moved = this._total !== null && page.total !== this._total;
    if (moved && seq < this._totalSeq) {
      // An answer older than the count we hold: ask again.
      if (this._pagesInView().includes(index)) {
        void this._fetchPage(index);
      }
      return;
    }
    this._totalSeq = Math.max(this._totalSeq, seq);
    if (moved) {
      // Traces came or went: every offset may have shifted.
      this._pages = new Map();
    }
    const previous = this._pages.get(index);
    const fresh = this._total === null || moved || previous === undefined;
    if (fresh || !sameJson(previous, page.traces)) {
      this._total = page.total;
      this._pages.set(index, page.traces);
      this._emit();
    }
    if (moved) {
      this._loadMissing();
    }
  }

  // -- messages -----------------------------------------------------------------

  private _setNotice(notice: string): void {
    if (notice !== this._notice) {
      this._notice = notice;
      this._emit();
    }
  }

  /** A transient problem: said once, retried at the next refresh. */
  private _trouble(error: unknown): string {
    const detail = error instanceof Error ? error.message : String(error);
    return this._trans.__('nbtrace could not load sessions: %1', detail);
  }

  /** The server's own words (e.g. a 409 "exists already"), as a sentence. */
  private _actionError(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.charAt(0).toUpperCase() + message.slice(1);
  }

  private _emit(): void {
    this._version++;
    this._changed.emit(undefined);
  }

  private readonly _client: ISessionsClient;
  private readonly _trans: TranslationBundle;
  private readonly _interval: number;
  private readonly _pageSize: number;
  private readonly _changed = new Signal<this, void>(this);
  private _version = 0;
  private _state: ConnectionState = 'connecting';
  private _notice: string | null = null;
  private _serverInfo: IServerInfo | null = null;
  private _sessions: readonly ISessionInfo[] = [];
  private _sessionsLoaded = false;
  private _selected = DEFAULT_SESSION;
  private _epoch = 0;
  private _total: number | null = null;
  private _pages = new Map<number, readonly ITraceSummary[]>();
  private _loading = new Set<number>();
  private _seq = 0;
  private _totalSeq = 0;
  private _range: IRange = { first: 0, last: 0 };
  private _active = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _refreshing: Promise<void> | null = null;
  private _disposed = false;
}

export namespace SessionsModel {
  export interface IOptions {
    client: ISessionsClient;
    translator?: ITranslator | null;
    /** Milliseconds between refreshes while active (default 2000). */
    pollInterval?: number;
    /** Traces per request (default 100; the server allows up to 500). */
    pageSize?: number;
  }
}

/** `default` first (added if the server left it out), then by name, case-insensitively. */
export function sortSessions(list: readonly ISessionInfo[]): ISessionInfo[] {
  const sessions = [...list];
  if (!sessions.some(s => s.name === DEFAULT_SESSION)) {
    sessions.push({
      name: DEFAULT_SESSION,
      run_count: 0,
      trace_count: 0,
      last_activity: null,
      created_at: null
    });
  }
  return sessions.sort((a, b) => {
    if (a.name === DEFAULT_SESSION || b.name === DEFAULT_SESSION) {
      return a.name === DEFAULT_SESSION ? (b.name === DEFAULT_SESSION ? 0 : -1) : 1;
    }
    const la = a.name.toLowerCase();
    const lb = b.name.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
