import { ApiError } from '../api/client';
import { PROTOCOL_VERSION } from '../protocol';
import { SessionsModel, sortSessions } from '../sessions/sessionsModel';
import { FakeServer, makeTrace } from './sessionsFixtures';

function setup(pageSize = 100): { server: FakeServer; model: SessionsModel } {
  const server = new FakeServer();
  const model = new SessionsModel({ client: server, pageSize, pollInterval: 2000 });
  return { server, model };
}

function traces(from: number, to: number) {
  const out = [];
  for (let i = from; i < to; i++) {
    out.push(makeTrace(i));
  }
  return out;
}

afterEach(() => {
  jest.useRealTimers();
});

describe('SessionsModel', () => {
  it('lists sessions with default first, then by name', async () => {
    const { server, model } = setup();
    server.addSession('zeta');
    server.addSession('Alpha');
    server.addSession('beta');
    await model.refresh();
    expect(model.state).toBe('ready');
    expect(model.sessions.map(s => s.name)).toEqual(['default', 'Alpha', 'beta', 'zeta']);
    expect(model.selected).toBe('default');
    expect(model.notice).toBeNull();
  });

  it('keeps default present even if the server leaves it out', () => {
    const sorted = sortSessions([
      { name: 'b', run_count: 1, trace_count: 1, last_activity: null, created_at: null }
    ]);
    expect(sorted.map(s => s.name)).toEqual(['default', 'b']);
  });

  it('loads the selected session’s first page, newest first', async () => {
    const { server, model } = setup();
    server.record('default', ...traces(0, 3));
    await model.refresh();
    expect(server.callsOf('info')).toHaveLength(1);
    expect(model.traceCount).toBe(3);
    expect(model.traceAt(0)?.name).toBe('chain_2');
    expect(model.traceAt(2)?.name).toBe('chain_0');
    expect(model.traceAt(3)).toBeUndefined();
  });

  it('fetches pages as the visible range reaches them, and only those', async () => {
    const { server, model } = setup(100);
    server.record('default', ...traces(0, 1000));
    await model.refresh();
    expect(server.callsOf('traces')).toEqual(['traces default 0']);
    expect(model.traceCount).toBe(1000);
    expect(model.traceAt(150)).toBeUndefined();

    model.setVisibleRange(140, 230);
    await Promise.resolve();
    await model.refresh();
    expect(server.callsOf('traces')).toContain('traces default 100');
    expect(server.callsOf('traces')).toContain('traces default 200');
    expect(server.callsOf('traces')).not.toContain('traces default 300');
    // Newest first: index 150 is trace 1000 - 1 - 150.
    expect(model.traceAt(150)?.name).toBe('chain_849');
    expect(model.traceAt(230)?.name).toBe('chain_769');
  });

  it('emits changed only when something changed', async () => {
    const { server, model } = setup();
    server.record('default', ...traces(0, 2));
    await model.refresh();
    const seen = jest.fn();
    model.changed.connect(seen);
    await model.refresh();
    expect(seen).not.toHaveBeenCalled();
    server.record('default', makeTrace(5));
    await model.refresh();
    expect(seen).toHaveBeenCalled();
    expect(model.traceAt(0)?.name).toBe('chain_5');
  });

  it('polls while active: new traces appear, and stops when inactive or disposed', async () => {
    jest.useFakeTimers();
    const { server, model } = setup();
    model.setActive(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.traceCount).toBe(0);

    server.record('default', makeTrace(1, { name: 'first_chain' }));
    await jest.advanceTimersByTimeAsync(2000);
    expect(model.traceCount).toBe(1);
    expect(model.traceAt(0)?.name).toBe('first_chain');
    expect(model.sessions[0].trace_count).toBe(1);

    model.setActive(false);
    const before = server.calls.length;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(server.calls.length).toBe(before);

    // Shown again: refreshes at once, then keeps polling.
    server.record('default', makeTrace(2, { name: 'second_chain' }));
    model.setActive(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.traceAt(0)?.name).toBe('second_chain');
    const polled = server.callsOf('sessions').length;
    await jest.advanceTimersByTimeAsync(4000);
    expect(server.callsOf('sessions').length).toBe(polled + 2);

    model.dispose();
    const afterDispose = server.calls.length;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(server.calls.length).toBe(afterDispose);
  });

  it('refetches the pages in view when traces arrive while scrolled down', async () => {
    const { server, model } = setup(100);
    server.record('default', ...traces(0, 300));
    await model.refresh();
    model.setVisibleRange(150, 180);
    await model.refresh();
    expect(model.traceAt(150)?.name).toBe('chain_149');
    server.record('default', ...traces(300, 305));
    await model.refresh();
    expect(model.traceCount).toBe(305);
    // Offsets moved by five: the row shows what is there now.
    expect(model.traceAt(150)?.name).toBe('chain_154');
  });

  it('selecting a session loads its traces; an unknown one falls back to default', async () => {
    const { server, model } = setup();
    server.record('my_session', makeTrace(7, { name: 'second_chain' }));
    await model.refresh();
    model.select('my_session');
    expect(model.traceCount).toBeNull();
    await model.refresh();
    expect(model.traceCount).toBe(1);
    expect(model.traceAt(0)?.name).toBe('second_chain');

    server.removeSession('my_session');
    await model.refresh();
    expect(model.selected).toBe('default');
  });

  it('creates a session (trimmed) and selects it', async () => {
    const { server, model } = setup();
    await model.refresh();
    const result = await model.createSession('  my_session ');
    expect(result).toEqual({ ok: true, name: 'my_session' });
    expect(server.calls).toContain('create my_session');
    expect(model.sessions.map(s => s.name)).toEqual(['default', 'my_session']);
    expect(model.selected).toBe('my_session');
    await model.refresh();
    expect(model.traceCount).toBe(0);
  });

  it('reports the server’s message when a session exists already', async () => {
    const { model } = setup();
    await model.refresh();
    await model.createSession('dup');
    const result = await model.createSession('dup');
    expect(result).toEqual({ ok: false, message: "A session named 'dup' exists already" });
  });

  it('checks names like the server before sending them', async () => {
    const { server, model } = setup();
    await model.refresh();
    for (const bad of ['   ', 'a/b', 'a\\b', 'tab\there', 'x'.repeat(201)]) {
      const result = await model.createSession(bad);
      expect(result.ok).toBe(false);
    }
    expect(server.callsOf('create')).toHaveLength(0);
    expect(await model.createSession('x'.repeat(200))).toEqual({ ok: true, name: 'x'.repeat(200) });
  });

  it('renames a session; the selection follows it', async () => {
    const { server, model } = setup();
    server.addSession('old');
    await model.refresh();
    model.select('old');
    const result = await model.renameSession('old', 'new');
    expect(result).toEqual({ ok: true, name: 'new' });
    expect(server.calls).toContain('rename old new');
    expect(model.selected).toBe('new');
    expect(model.sessions.map(s => s.name)).toEqual(['default', 'new']);

    server.addSession('taken');
    const clash = await model.renameSession('new', 'taken');
    expect(clash).toEqual({ ok: false, message: "A session named 'taken' exists already" });
  });

  it('deletes a session; selecting default if it was selected', async () => {
    const { server, model } = setup();
    server.addSession('doomed');
    await model.refresh();
    model.select('doomed');
    expect(await model.deleteSession('doomed')).toEqual({ ok: true, name: 'doomed' });
    expect(server.calls).toContain('delete doomed');
    expect(model.selected).toBe('default');
    expect(model.sessions.map(s => s.name)).toEqual(['default']);

    const refused = await model.deleteSession('default');
    expect(refused).toEqual({ ok: false, message: 'The default session cannot be deleted' });
  });

  it('explains a protocol mismatch instead of failing, and stops asking', async () => {
    jest.useFakeTimers();
    const { server, model } = setup();
    server.infoAnswer = { version: '9.0.0', protocol: PROTOCOL_VERSION + 1, store: '' };
    model.setActive(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.state).toBe('incompatible');
    expect(model.notice).toContain(`protocol ${PROTOCOL_VERSION + 1}`);
    expect(model.notice).toContain('9.0.0');
    expect(model.notice).toContain('pip install');
    expect(model.notice).toContain('restart JupyterLab');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(server.calls).toEqual(['info']);
  });

  it('says to install the server extension when it is missing (404)', async () => {
    const { server, model } = setup();
    server.infoAnswer = new ApiError(404, 'Not Found');
    await model.refresh();
    expect(model.state).toBe('incompatible');
    expect(model.notice).toMatch(/server extension is not running/);
    expect(model.notice).toContain('pip install nbtrace');
  });

  it('retries when the server is unreachable, and clears the notice once it answers', async () => {
    jest.useFakeTimers();
    const { server, model } = setup();
    server.infoAnswer = new ApiError(0, 'nbtrace: the server could not be reached (TypeError)');
    model.setActive(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.state).toBe('connecting');
    expect(model.notice).toContain('could not be reached');

    server.infoAnswer = { version: '0.1.0', protocol: PROTOCOL_VERSION, store: '' };
    await jest.advanceTimersByTimeAsync(2000);
    expect(model.state).toBe('ready');
    expect(model.notice).toBeNull();

    server.failSessionsOnce = new ApiError(500, 'database is locked');
    await jest.advanceTimersByTimeAsync(2000);
    expect(model.notice).toContain('database is locked');
    await jest.advanceTimersByTimeAsync(2000);
    expect(model.notice).toBeNull();
    model.dispose();
  });
});
