/**
 * Rendering (issue #7, benchmark 3): traces of 1,000, 10,000 and 100,000 runs
 * in headless Chromium against a real JupyterLab (port 8899, started and
 * stopped here). Each size gets a fresh page, notebook and kernel. A trace is
 * flat: a root lambda that invokes a child lambda N - 1 times (root + N - 1
 * children), so expanding the root shows every run.
 *
 * Measured in the page (performance.now(), MutationObserver, requestAnimationFrame):
 *  - delivery: while the chain runs, long tasks of the page (PerformanceObserver)
 *    and the time from the chain's end until the header shows N runs, none running;
 *  - first paint: `notebook:create-output-view` opens a new view of the trace
 *    cell's output, a fresh render of the whole trace (the same tree the cell
 *    shows); from its nbtrace element entering the DOM to the first frame after
 *    its first tree row exists (median of 3). Also the live cell's first paint
 *    (output appeared → first row), which happens as the first runs arrive;
 *  - expand: click the root's toggle in the inline view; to the first frame
 *    after the children's rows are in the DOM;
 *  - scrolling: scrollTop += 96 px (4 rows) per animation frame for 2 s,
 *    bouncing at the ends; intervals between frames (median, p95, fps), frames
 *    over 25 ms, long tasks, and frames whose viewport top had no row (blank);
 *  - DOM rows: `[role=treeitem]` in the tree after expand (max while scrolling);
 *  - JS heap: CDP Runtime.getHeapUsage after a forced GC, before the trace, once
 *    it is in the view, and after expand + scroll.
 *
 *   NODE_PATH=ui-tests/node_modules node bench/browser/rendering.mjs [sizes…]
 */
import {
  PY_SETUP,
  closeBrowser,
  commSummary,
  closeNotebook,
  fmt,
  heapUsed,
  installCleanup,
  launchBrowser,
  median,
  nextCellIndex,
  openNotebook,
  printTable,
  quantile,
  readComm,
  runCell,
  startCell,
  startServer,
  stopServer,
  waitCell,
  waitQuiet,
  waitSettled,
  watchComm,
  watchHeader
} from './lib.mjs';

const SIZES = process.argv.slice(2).length
  ? process.argv.slice(2).map(Number)
  : [1_000, 10_000, 100_000];
const SCROLL_STEP_PX = 96;
const SCROLL_MS = 2_000;
const FIRST_PAINT_REPS = 3;
const MB = 1024 * 1024;

const traceCell = n =>
  `
chain = flat(${n})
t_start = time.time()
chain.invoke(0)
t_end = time.time()
print("BENCH", json.dumps({"t_start": t_start, "t_end": t_end}))
`.trim();

/** Before the trace cell runs: its live first paint and the page's long tasks. */
async function watchLive(page, index) {
  await page.evaluate(index => {
    const rec = { tOutput: null, tRow: null, tPaint: null, longTasks: [] };
    window.__live = rec;
    const observer = new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        rec.longTasks.push([performance.timeOrigin + entry.startTime, entry.duration]);
      }
    });
    observer.observe({ type: 'longtask' });
    rec.stopLongTasks = () => observer.disconnect();
    const mo = new MutationObserver(() => {
      const node = window.__bench.panel.content.widgets[index]?.node;
      if (!node) return;
      if (rec.tOutput === null && node.querySelector('.nbtrace-widget')) rec.tOutput = performance.now();
      if (rec.tOutput !== null && node.querySelector('[role="treeitem"]')) {
        rec.tRow = performance.now();
        mo.disconnect();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => (rec.tPaint = performance.now());
          channel.port2.postMessage(0);
        });
      }
    });
    mo.observe(document.body, { childList: true, subtree: true });
  }, index);
}

async function readLive(page) {
  return page.evaluate(() => {
    const rec = window.__live;
    rec.stopLongTasks();
    return {
      firstPaintMs: rec.tPaint === null ? NaN : rec.tPaint - rec.tOutput,
      longTasks: rec.longTasks
    };
  });
}

/** Open a new view of the cell's output; time its first paint; close it. */
async function newViewFirstPaint(page, index) {
  return page.evaluate(async index => {
    const app = window.jupyterapp;
    const panel = window.__bench.panel;
    panel.content.activeCellIndex = index;
    const before = new Set(app.shell.widgets('main'));
    let tNode = null;
    let tRow = null;
    const seen = new Promise((resolve, reject) => {
      const check = () => {
        for (const view of document.querySelectorAll('.jp-LinkedOutputView')) {
          if (tNode === null && view.querySelector('.nbtrace-widget')) tNode = performance.now();
          if (tNode !== null && view.querySelector('[role="treeitem"]')) {
            tRow = performance.now();
            return true;
          }
        }
        return false;
      };
      const mo = new MutationObserver(() => {
        if (check()) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.body, { childList: true, subtree: true });
      setTimeout(() => {
        mo.disconnect();
        reject(new Error('the new output view showed no tree row within 30 s'));
      }, 30_000);
    });
    const t0 = performance.now();
    await app.commands.execute('notebook:create-output-view');
    await seen;
    await new Promise(resolve =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      })
    );
    const tPaint = performance.now();
    for (const widget of app.shell.widgets('main')) {
      if (!before.has(widget)) widget.close();
    }
    app.shell.activateById(panel.id);
    return { fromNodeMs: tPaint - tNode, fromCommandMs: tPaint - t0, commitMs: tRow - tNode };
  }, index);
}

/** Expand every collapsed top-level row of the inline view; time it. */
async function expandAll(page, index) {
  return page.evaluate(async index => {
    const node = window.__bench.panel.content.widgets[index].node;
    node.scrollIntoView({ block: 'start' });
    const tree = node.querySelector('[role="tree"]');
    const closed = [...tree.querySelectorAll('[role="treeitem"][aria-level="1"][aria-expanded="false"]')];
    let tCommit = null;
    const committed = new Promise(resolve => {
      const mo = new MutationObserver(() => {
        if (tree.querySelector('[role="treeitem"][aria-level="2"]')) {
          tCommit = performance.now();
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(tree, { childList: true, subtree: true });
    });
    const t0 = performance.now();
    for (const row of closed) row.querySelector('.nbtrace-row__toggle').click();
    await committed;
    await new Promise(resolve =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      })
    );
    const tPaint = performance.now();
    return {
      roots: closed.length,
      commitMs: tCommit - t0,
      paintMs: tPaint - t0,
      rows: tree.querySelectorAll('[role="treeitem"]').length,
      scrollHeight: tree.scrollHeight,
      clientHeight: tree.clientHeight
    };
  }, index);
}

/** Idle frames for 1 s, then scroll the inline tree by `step` px per frame. */
async function scrollFrames(page, index, step, durationMs) {
  return page.evaluate(
    async ({ index, step, durationMs }) => {
      const tree = window.__bench.panel.content.widgets[index].node.querySelector('[role="tree"]');
      const frames = (duration, each) =>
        new Promise(resolve => {
          const times = [];
          const tick = time => {
            times.push(time);
            each?.();
            if (time - times[0] < duration) requestAnimationFrame(tick);
            else resolve(times.slice(1).map((t, i) => t - times[i]));
          };
          requestAnimationFrame(tick);
        });
      const idle = await frames(1000);
      const longTasks = [];
      const observer = new PerformanceObserver(list => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
      let direction = 1;
      let maxRows = 0;
      let blank = 0;
      let travelled = 0;
      const rowTop = row => Number(/translateY\((-?[\d.]+)px\)/.exec(row.style.transform)?.[1] ?? NaN);
      const scrolling = await frames(durationMs, () => {
        // What the previous frame painted: is there a row at the viewport's top?
        const rows = tree.querySelectorAll('[role="treeitem"]');
        maxRows = Math.max(maxRows, rows.length);
        const top = tree.scrollTop;
        let covered = false;
        for (const row of rows) {
          const y = rowTop(row);
          if (y <= top && top < y + 24) {
            covered = true;
            break;
          }
        }
        if (!covered) blank++;
        const max = tree.scrollHeight - tree.clientHeight;
        let next = top + direction * step;
        if (next >= max) {
          next = max;
          direction = -1;
        } else if (next <= 0) {
          next = 0;
          direction = 1;
        }
        travelled += Math.abs(next - top);
        tree.scrollTop = next;
      });
      observer.disconnect();
      return { idle, scrolling, longTasks, maxRows, blank, travelled, finalTop: tree.scrollTop };
    },
    { index, step, durationMs }
  );
}

async function measure(n) {
  const notebook = await openNotebook();
  const { page, cdp } = notebook;
  try {
    await watchComm(page);
    await runCell(page, PY_SETUP);
    await waitQuiet(page, 1000);
    const heapBefore = await heapUsed(cdp);
    const index = await nextCellIndex(page);
    await watchHeader(page, index, n);
    await watchLive(page, index);
    const tCell = Date.now();
    await startCell(page, traceCell(n));
    const bench = await waitCell(page, index);
    const watch = await waitSettled(page, 180_000);
    // Let the kernel finish sending (a replay may follow the cell) before the
    // view is measured: what comes after is then the view's own cost.
    await waitQuiet(page, 1500, 120_000);
    const live = await readLive(page); // long tasks from the cell's start until quiet
    const comm = commSummary(await readComm(page), tCell);
    if (watch.tSettled === null) {
      console.error(`  ${fmt(n)}: the header never showed ${fmt(n)} runs, none running; last seen`, watch.samples.at(-1));
    }
    const kind = await page.evaluate(
      index =>
        window.__bench.panel.content.widgets[index].node.querySelector('.nbtrace-snapshot')
          ? 'snapshot'
          : 'live widget',
      index
    );
    const heapTrace = await heapUsed(cdp);
    const paints = [];
    for (let i = 0; i < FIRST_PAINT_REPS; i++) paints.push(await newViewFirstPaint(page, index));
    const expand = await expandAll(page, index);
    const scroll = await scrollFrames(page, index, SCROLL_STEP_PX, SCROLL_MS);
    const heapAfter = await heapUsed(cdp);
    return {
      n,
      kind,
      chainS: bench.t_end - bench.t_start,
      shownMs: watch.tSettled === null ? NaN : watch.tSettled - bench.t_end * 1000,
      shownAtEnd: watch.samples.filter(([t]) => t <= bench.t_end * 1000).at(-1)?.[1] ?? 0,
      tail: process.env.NBTRACE_BENCH_DEBUG ? watch.samples.slice(-6).map(([t, c, r]) => [Math.round(t - bench.t_end * 1000), c, r]) : null,
      // [ms after the chain's end, duration ms]
      comm,
      endWall: bench.t_end * 1000,
      lastMessageMs: comm.last === null ? NaN : comm.last - bench.t_end * 1000,
      deliveryLongTasks: live.longTasks.map(([t, d]) => [t - bench.t_end * 1000, d]),
      liveFirstPaintMs: live.firstPaintMs,
      paints,
      expand,
      scroll,
      heapBefore,
      heapTrace,
      heapAfter
    };
  } finally {
    await closeNotebook(notebook);
  }
}

installCleanup(9 * 60_000);
let failed = false;
try {
  const t0 = Date.now();
  await startServer();
  await launchBrowser();
  const results = [];
  for (const n of SIZES) {
    const t = Date.now();
    results.push(await measure(n));
    console.error(`  measured ${fmt(n)} runs in ${Math.round((Date.now() - t) / 1000)} s`);
  }

  console.log(`\nRendering (headless Chromium, JupyterLab on port 8899, ${Math.round((Date.now() - t0) / 1000)} s)`);
  console.log('\nDelivery and first paint');
  printTable(
    ['runs', 'view', 'chain s', 'shown at end', 'all shown ms after end', 'replayed runs', 'last msg ms after end', 'long tasks (n / max ms)', 'live first paint ms', 'new-view first paint ms', 'open view → paint ms'],
    results.map(r => [
      fmt(r.n),
      r.kind,
      fmt(r.chainS, 1),
      fmt(r.shownAtEnd),
      fmt(r.shownMs),
      fmt(r.comm.replayedRuns),
      fmt(r.lastMessageMs),
      `${r.deliveryLongTasks.length} / ${fmt(Math.max(0, ...r.deliveryLongTasks.map(([, d]) => d)))}`,
      fmt(r.liveFirstPaintMs, 1),
      fmt(median(r.paints.map(p => p.fromNodeMs)), 1),
      fmt(median(r.paints.map(p => p.fromCommandMs)), 1)
    ])
  );
  console.log(`\nExpand, scroll (${SCROLL_STEP_PX} px per frame for ${SCROLL_MS / 1000} s), DOM rows, JS heap`);
  printTable(
    ['runs', 'expand ms', 'DOM rows', 'max rows scrolling', 'frame median ms', 'p95 ms', 'fps', 'frames >25 ms', 'long tasks', 'blank frames', 'idle fps', 'heap before MB', 'with trace MB', 'after scroll MB'],
    results.map(r => {
      const s = r.scroll.scrolling;
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      const idleMean = r.scroll.idle.reduce((a, b) => a + b, 0) / r.scroll.idle.length;
      return [
        fmt(r.n),
        fmt(r.expand.paintMs, 1),
        fmt(r.expand.rows),
        fmt(r.scroll.maxRows),
        fmt(median(s), 1),
        fmt(quantile(s, 0.95), 1),
        fmt(1000 / mean, 1),
        `${s.filter(x => x > 25).length}/${s.length}`,
        r.scroll.longTasks.length,
        r.scroll.blank,
        fmt(1000 / idleMean, 1),
        fmt(r.heapBefore / MB, 1),
        fmt(r.heapTrace / MB, 1),
        fmt(r.heapAfter / MB, 1)
      ];
    })
  );
  console.log('\nLong tasks over 100 ms from the cell\'s start until the kernel was quiet ([ms after the chain\'s end, duration ms]):');
  for (const r of results) {
    const long = r.deliveryLongTasks.filter(([, d]) => d > 100).map(([t, d]) => `[${fmt(t)}, ${fmt(d)}]`);
    console.log(`  ${fmt(r.n)} runs: ${long.join(' ') || 'none'}`);
    const c = r.comm;
    if (c.replayMessages > 0) {
      const end = r.endWall;
      console.log(
        `    replay after the cell: ${fmt(c.replayedRuns)} runs in ${c.replayMessages} messages, +${fmt(c.firstReplay - end)} to +${fmt(c.lastReplay - end)} ms after the chain's end`
      );
    }
    if (r.tail) console.log(`    header, last samples [ms after end, runs, running]: ${JSON.stringify(r.tail)}`);
  }
  for (const r of results) {
    if (r.expand.rows === 0 || r.scroll.travelled === 0) {
      console.error(`  ${fmt(r.n)}: expand showed ${r.expand.rows} rows, scrolled ${r.scroll.travelled} px`);
    }
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await closeBrowser();
  await stopServer();
}
process.exit(failed ? 1 : 0);
