/**
 * Shared plumbing of the browser benchmarks: a throwaway JupyterLab server on
 * port 8899, headless Debian Chromium through Playwright, and a few helpers that
 * drive a notebook through `window.jupyterapp` (the server exposes the app).
 *
 * Everything started here is stopped by `stopServer()` / `closeBrowser()`,
 * which the scripts call in `finally` and on SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
export const PORT = Number(process.env.NBTRACE_BENCH_PORT ?? 8899);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
const VENV = resolve(process.env.NBTRACE_VENV ?? join(REPO, '.venv'));

if (PORT === 8888) {
  throw new Error('port 8888 belongs to the UI tests: pick another NBTRACE_BENCH_PORT');
}

/** Playwright from NODE_PATH, else from ui-tests/node_modules. */
function loadPlaywright() {
  try {
    return createRequire(import.meta.url)('playwright');
  } catch {
    return createRequire(join(REPO, 'ui-tests', 'package.json'))('playwright');
  }
}
const { chromium } = loadPlaywright();

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
];

export const sleep = ms => new Promise(r => setTimeout(r, ms));

// ---------------------------------------------------------------- the server

let server = null; // { proc, dir }

function portInUse(port) {
  return new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Start `jupyter lab` on PORT with a throwaway root dir and trace store. */
export async function startServer() {
  if (await portInUse(PORT)) {
    throw new Error(`port ${PORT} is already in use: stop that server first (never reused)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'nbtrace-browser-bench-'));
  const root = join(dir, 'root');
  mkdirSync(root);
  const env = {
    ...process.env,
    PATH: `${join(VENV, 'bin')}:${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: VENV,
    NBTRACE_DB: join(dir, 'traces.sqlite'),
    NBTRACE_BENCH_DIR: dir,
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime')
  };
  const proc = spawn(
    join(VENV, 'bin', 'jupyter'),
    [
      'lab',
      '--config',
      join(HERE, 'jupyter_server_bench_config.py'),
      `--port=${PORT}`,
      `--ServerApp.root_dir=${root}`
    ],
    { cwd: dir, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let stderr = '';
  proc.stderr.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  server = { proc, dir, exited: false };
  proc.once('exit', () => {
    if (server) server.exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(`jupyter lab exited while starting:\n${stderr}`);
    }
    try {
      const res = await fetch(`${BASE_URL}/api/status`);
      if (res.ok) return { dir };
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`jupyter lab did not answer on ${BASE_URL} within 60 s:\n${stderr}`);
}

/** Processes whose environment names our throwaway dir (server, kernels). */
function ourProcesses(dir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.includes(`NBTRACE_BENCH_DIR=${dir}\0`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Shut kernels down, stop the server, remove the throwaway dir. Idempotent. */
export async function stopServer() {
  if (server === null) return;
  const { proc, dir } = server;
  try {
    const res = await fetch(`${BASE_URL}/api/kernels`, { signal: AbortSignal.timeout(3000) });
    for (const kernel of await res.json()) {
      await fetch(`${BASE_URL}/api/kernels/${kernel.id}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(5000)
      }).catch(() => undefined);
    }
  } catch {
    // server already gone
  }
  if (!server.exited) {
    try {
      process.kill(-proc.pid, 'SIGTERM'); // its own process group (detached)
    } catch {
      // already gone
    }
    for (let i = 0; i < 40 && !server.exited; i++) await sleep(250);
    if (!server.exited) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  // Kernels run in sessions of their own: end any left behind, by pid.
  await sleep(500);
  for (const pid of ourProcesses(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  server = null;
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- the browser

let browser = null;

export async function launchBrowser() {
  browser = await chromium.launch({
    executablePath: process.env.NBTRACE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS
  });
  return browser;
}

export async function closeBrowser() {
  if (browser !== null) {
    const b = browser;
    browser = null;
    await b.close().catch(() => undefined);
  }
}

/** Stop everything on Ctrl-C / kill, and on an overall time limit. */
export function installCleanup(limitMs) {
  const stop = async (why, code) => {
    console.error(`\nstopping (${why})…`);
    await closeBrowser();
    await stopServer();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT', 130));
  process.once('SIGTERM', () => void stop('SIGTERM', 143));
  const timer = setTimeout(() => void stop(`over the ${limitMs / 1000} s limit`, 2), limitMs);
  timer.unref();
}

/** A fresh page with JupyterLab loaded and a new notebook on a `python3` kernel. */
export async function openNotebook() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', error => console.error(`  [page error] ${error.message}`));
  await page.goto(`${BASE_URL}/lab?reset`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(async () => {
    const app = window.jupyterapp;
    await app.started;
    await app.restored;
    const panel = await app.commands.execute('notebook:create-new', { kernelName: 'python3' });
    await panel.context.ready;
    await panel.sessionContext.ready;
    window.__bench = { panel, used: false, running: null };
  });
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

/** Shut the notebook's kernel down and close the page. */
export async function closeNotebook({ context, page }) {
  // JupyterLab's debugger logs a cancelled request when its kernel goes away.
  page.removeAllListeners('pageerror');
  await page
    .evaluate(async () => {
      await window.__bench.panel.sessionContext.shutdown();
    })
    .catch(() => undefined);
  await context.close().catch(() => undefined);
}

/**
 * Put `source` in a new code cell (the notebook's first, empty cell the first
 * time) and start running it. Returns the cell's index; `waitCell` awaits it.
 */
export async function startCell(page, source) {
  return page.evaluate(async source => {
    const { panel } = window.__bench;
    const nb = panel.content;
    const shared = nb.model.sharedModel;
    let index = 0;
    if (window.__bench.used) {
      shared.insertCell(shared.cells.length, { cell_type: 'code', source });
      index = nb.widgets.length - 1;
    }
    window.__bench.used = true;
    nb.widgets[index].model.sharedModel.setSource(source);
    nb.activeCellIndex = index;
    nb.deselectAll();
    nb.widgets[index].node.scrollIntoView({ block: 'start' });
    window.__bench.running = window.jupyterapp.commands.execute('notebook:run-cell');
    return index;
  }, source);
}

/** Wait for the running cell; return its `BENCH {json}` line parsed (or null). */
export async function waitCell(page, index) {
  const outputs = await page.evaluate(async index => {
    await window.__bench.running;
    const cell = window.__bench.panel.content.widgets[index];
    // The reply can beat the last output by a hair.
    for (let i = 0; i < 100 && cell.model.executionCount === null; i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    // Only streams and errors: trace outputs hold megabytes of snapshot, and
    // shipping them to Node would cost the page time we are measuring.
    const outputs = [];
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const output = cell.model.outputs.get(i);
      if (output.type === 'stream' || output.type === 'error') outputs.push(output.toJSON());
    }
    return outputs;
  }, index);
  const error = outputs.find(o => o.output_type === 'error');
  if (error) {
    throw new Error(`cell ${index} failed: ${error.ename}: ${error.evalue}`);
  }
  const text = outputs
    .filter(o => o.output_type === 'stream')
    .map(o => (Array.isArray(o.text) ? o.text.join('') : o.text))
    .join('');
  const line = text.split('\n').find(l => l.startsWith('BENCH '));
  return line ? JSON.parse(line.slice(6)) : null;
}

/** The index the next `startCell` will use. */
export async function nextCellIndex(page) {
  return page.evaluate(() =>
    window.__bench.used ? window.__bench.panel.content.widgets.length : 0
  );
}

export async function runCell(page, source) {
  const index = await startCell(page, source);
  return { index, bench: await waitCell(page, index) };
}

/** JS heap in use after a full garbage collection (CDP). */
export async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

// ---------------------------------------------------------------- the figures

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = values => quantile(values, 0.5);

export function fmt(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  });
}

/** Print rows (arrays of strings) as an aligned text table. */
export function printTable(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map(r => String(r[c]).length)));
  const line = r => r.map((cell, c) => String(cell).padStart(widths[c])).join('  ');
  console.log(line(header));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** The Python the benchmarks share: tracing on, and chains of N runs. */
export const PY_SETUP = `
import json, time
import nbtrace
nbtrace.enable()
from langchain_core.runnables import RunnableLambda, RunnableParallel

def fan_out(n):
    """One trace of n runs: a RunnableParallel (root) over n - 1 lambdas."""
    return RunnableParallel({f"b{i}": RunnableLambda(lambda x, i=i: x + i, name=f"b{i}") for i in range(n - 1)})

_step = RunnableLambda(lambda x: x + 1, name="step")

def flat(n):
    """One trace of n runs: a root lambda that invokes a child lambda n - 1 times."""
    def root(x):
        for i in range(n - 1):
            _step.invoke(i)
        return x
    return RunnableLambda(root, name=f"root_{n}")

fan_out(10).invoke(1)  # warm up imports, thread pool, the widget
flat(10).invoke(1)
`.trim();

/**
 * Watch the inline view's header under cell `index`, once per animation frame
 * (so a time is when a frame showed it): every change of the run count and of
 * the running count, with `Date.now()` (the kernel's `time.time()` clock).
 * Returns nothing; read it back with `readWatch`. `target` may be set later
 * with `setWatchTarget`; the watch ends once the header shows `target` runs,
 * none running, or on `stopWatch`.
 */
export async function watchHeader(page, index, target = Infinity) {
  await page.evaluate(
    ({ index, target }) => {
      const rec = { target, samples: [], tFirst: null, tFull: null, tSettled: null, stop: false };
      window.__watch = rec;
      const number = el => (el ? Number(el.textContent.replace(/[^0-9]/g, '')) : 0);
      let lastCount = -1;
      let lastRunning = -1;
      const tick = () => {
        const node = window.__bench.panel.content.widgets[index]?.node;
        const header = node?.querySelector('.nbtrace-header');
        const now = Date.now();
        if (header) {
          const count = number(
            header.querySelector(
              '.nbtrace-header__count:not(.nbtrace-header__count--running):not(.nbtrace-header__count--error)'
            )
          );
          const running = number(header.querySelector('.nbtrace-header__count--running'));
          if (count !== lastCount || running !== lastRunning) {
            rec.samples.push([now, count, running]);
            lastCount = count;
            lastRunning = running;
          }
          if (rec.tFirst === null && count > 0) rec.tFirst = now;
          if (rec.tFull === null && count >= rec.target) rec.tFull = now;
          if (rec.tSettled === null && count >= rec.target && running === 0) rec.tSettled = now;
        }
        if (rec.tSettled === null && !rec.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    { index, target }
  );
}

export async function setWatchTarget(page, target) {
  await page.evaluate(target => {
    window.__watch.target = target;
  }, target);
}

/** Wait until the watched header shows its target, none running (or time out). */
export async function waitSettled(page, timeoutMs) {
  try {
    await page.waitForFunction(() => window.__watch.tSettled !== null, null, {
      timeout: timeoutMs,
      polling: 100
    });
  } catch {
    // reported by the caller: tSettled stays null
  }
  return page.evaluate(() => {
    window.__watch.stop = true;
    return window.__watch;
  });
}

/**
 * Record the nbtrace `runs` messages the page receives from the kernel:
 * [Date.now(), replay flag, number of events]. Read back with `readComm`.
 */
export async function watchComm(page) {
  await page.evaluate(() => {
    const log = [];
    window.__comm = log;
    const kernel = window.__bench.panel.sessionContext.session.kernel;
    kernel.anyMessage.connect((_, { msg, direction }) => {
      if (direction !== 'recv' || msg.header.msg_type !== 'comm_msg') return;
      const content = msg.content.data?.content;
      if (content?.kind === 'runs') {
        log.push([Date.now(), content.replay === true, content.events?.length ?? 0]);
      }
    });
  });
}

export async function readComm(page) {
  return page.evaluate(() => window.__comm.slice());
}

/**
 * Wait until the kernel is idle and no `runs` message has arrived for
 * `quietMs` (at most `timeoutMs`); returns the ms waited.
 */
export async function waitQuiet(page, quietMs = 1500, timeoutMs = 60_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const quiet = await page.evaluate(quietMs => {
      const kernel = window.__bench.panel.sessionContext.session.kernel;
      const last = window.__comm.at(-1)?.[0] ?? 0;
      return kernel.status === 'idle' && Date.now() - last >= quietMs;
    }, quietMs);
    if (quiet) break;
    await sleep(200);
  }
  return Date.now() - start;
}

/** Runs a kernel sent as a replay, and when its last `runs` message came (ms, Date.now()). */
export function commSummary(log, since = 0) {
  const after = log.filter(([t]) => t >= since);
  const replays = after.filter(([, replay]) => replay);
  return {
    messages: after.length,
    liveEvents: after.filter(([, replay]) => !replay).reduce((a, [, , n]) => a + n, 0),
    replayMessages: replays.length,
    replayedRuns: replays.reduce((a, [, , n]) => a + n, 0),
    firstReplay: replays[0]?.[0] ?? null,
    lastReplay: replays.at(-1)?.[0] ?? null,
    last: after.at(-1)?.[0] ?? null
  };
}
