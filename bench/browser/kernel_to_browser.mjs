/**
 * Kernel → browser (issue #7, benchmark 2), in headless Chromium against a real
 * JupyterLab (port 8899, started and stopped here):
 *
 *  (a) latency: the time from the end of a 10,000-run chain (Python's
 *      `time.time()` right after `invoke` returns) until the inline view's
 *      header shows "10,000 runs" and then none running (the whole tree is in
 *      the view). The page samples the header once per animation frame with
 *      `Date.now()`: the same wall clock as the kernel's, on the same machine.
 *  (b) throughput: a chain that makes runs as fast as it can for a few seconds;
 *      the page samples the header's run count per frame. Runs per second made
 *      by the kernel, shown by the browser in the steady part, the backlog when
 *      the chain ends and the time to catch up.
 *
 *   NODE_PATH=ui-tests/node_modules node bench/browser/kernel_to_browser.mjs
 *
 * Env: NBTRACE_BENCH_REPS (default 5) repetitions of (a); NBTRACE_BENCH_BURST_S
 * (default 5) seconds of (b).
 */
import {
  PY_SETUP,
  closeBrowser,
  commSummary,
  closeNotebook,
  fmt,
  installCleanup,
  launchBrowser,
  median,
  nextCellIndex,
  openNotebook,
  printTable,
  readComm,
  runCell,
  setWatchTarget,
  startCell,
  startServer,
  stopServer,
  waitCell,
  waitQuiet,
  waitSettled,
  watchComm,
  watchHeader
} from './lib.mjs';

const RUNS = 10_000;
const REPS = Number(process.env.NBTRACE_BENCH_REPS ?? 5);
const BURST_S = Number(process.env.NBTRACE_BENCH_BURST_S ?? 5);

const LATENCY_CELL = `
chain = fan_out(${RUNS})
t_start = time.time()
chain.invoke(1)
t_end = time.time()
print("BENCH", json.dumps({"t_start": t_start, "t_end": t_end}))
`.trim();

const BURST_CELL = `
def burst(seconds):
    t0 = time.time()
    n = 0
    while time.time() - t0 < seconds:
        _step.invoke(n)
        n += 1
    return n
t_start = time.time()
n = RunnableLambda(burst, name="burst").invoke(${BURST_S})
t_end = time.time()
print("BENCH", json.dumps({"t_start": t_start, "t_end": t_end, "runs": n + 1}))
`.trim();

async function latency(page) {
  const index = await nextCellIndex(page);
  await watchHeader(page, index, RUNS);
  const tCell = Date.now();
  await startCell(page, LATENCY_CELL);
  const bench = await waitCell(page, index);
  const watch = await waitSettled(page, 60_000);
  await waitQuiet(page); // what the kernel sends after the cell (a replay) ends before the next rep
  const comm = commSummary(await readComm(page), tCell);
  const end = bench.t_end * 1000;
  const start = bench.t_start * 1000;
  const kind = await page.evaluate(
    index =>
      window.__bench.panel.content.widgets[index].node.querySelector('.nbtrace-snapshot')
        ? 'snapshot'
        : 'live widget',
    index
  );
  return {
    chainMs: end - start,
    firstMs: watch.tFirst === null ? NaN : watch.tFirst - start,
    fullMs: watch.tFull === null ? NaN : watch.tFull - end,
    settledMs: watch.tSettled === null ? NaN : watch.tSettled - end,
    lastSeen: watch.samples.at(-1) ?? null,
    kind,
    replayedRuns: comm.replayedRuns,
    lastMessageMs: comm.last === null ? NaN : comm.last - end
  };
}

async function throughput(page) {
  const index = await nextCellIndex(page);
  await watchHeader(page, index);
  const tCell = Date.now();
  await startCell(page, BURST_CELL);
  const bench = await waitCell(page, index);
  await setWatchTarget(page, bench.runs);
  const watch = await waitSettled(page, 60_000);
  await waitQuiet(page);
  const comm = commSummary(await readComm(page), tCell);
  const start = bench.t_start * 1000;
  const end = bench.t_end * 1000;
  const samples = watch.samples; // [time, count, running]
  // The run count is known only once the cell is done: find the frame from the samples.
  const settled = samples.find(([, count, running]) => count >= bench.runs && running === 0);
  const tSettled = settled ? settled[0] : null;
  // Steady part: from 1 s after the start to the chain's end.
  const steady = samples.filter(([t]) => t >= start + 1000 && t <= end);
  const rate =
    steady.length >= 2
      ? ((steady.at(-1)[1] - steady[0][1]) / (steady.at(-1)[0] - steady[0][0])) * 1000
      : NaN;
  const atEnd = samples.filter(([t]) => t <= end).at(-1)?.[1] ?? 0;
  const intervals = [];
  for (let i = 1; i < steady.length; i++) {
    if (steady[i][1] !== steady[i - 1][1]) intervals.push(steady[i][0] - steady[i - 1][0]);
  }
  return {
    runs: bench.runs,
    seconds: (end - start) / 1000,
    producedPerS: bench.runs / ((end - start) / 1000),
    shownPerS: rate,
    backlogAtEnd: bench.runs - atEnd,
    catchUpMs: tSettled === null ? NaN : tSettled - end,
    overallPerS: tSettled === null ? NaN : bench.runs / ((tSettled - start) / 1000),
    updateEveryMs: median(intervals),
    replayedRuns: comm.replayedRuns,
    lastMessageMs: comm.last === null ? NaN : comm.last - end,
    tail: samples.filter(([t]) => t > end - 300).map(([t, c, r]) => [t - end, c, r]),
    lastSeen: samples.at(-1) ?? null
  };
}

installCleanup(6 * 60_000);
let failed = false;
try {
  const t0 = Date.now();
  await startServer();
  await launchBrowser();
  const notebook = await openNotebook();
  const { page } = notebook;
  await watchComm(page);
  await runCell(page, PY_SETUP);
  await waitQuiet(page, 1000);

  const reps = [];
  for (let i = 0; i < REPS; i++) {
    const r = await latency(page);
    reps.push(r);
    if (Number.isNaN(r.settledMs)) {
      console.error(`  rep ${i + 1}: the header never showed ${RUNS} runs, none running; last seen`, r.lastSeen);
    }
  }
  const burst = await throughput(page);
  await closeNotebook(notebook);

  console.log(`\nKernel → browser (headless Chromium, JupyterLab on port 8899, ${Math.round((Date.now() - t0) / 1000)} s)`);
  console.log(`\n(a) a ${fmt(RUNS)}-run chain (RunnableParallel over ${fmt(RUNS - 1)} lambdas), ${REPS} reps`);
  printTable(
    ['rep', 'chain ms', 'first runs shown ms (from start)', `"${fmt(RUNS)} runs" ms after end`, 'none running ms after end', 'view', 'replayed runs', 'last msg ms after end'],
    reps.map((r, i) => [i + 1, fmt(r.chainMs), fmt(r.firstMs), fmt(r.fullMs), fmt(r.settledMs), r.kind, fmt(r.replayedRuns), fmt(r.lastMessageMs)])
  );
  console.log(
    `median: "${fmt(RUNS)} runs" ${fmt(median(reps.map(r => r.fullMs)))} ms, whole tree ended ${fmt(median(reps.map(r => r.settledMs)))} ms after the chain's end`
  );
  console.log(`\n(b) runs made as fast as the kernel can for ${BURST_S} s (a root lambda invoking a child lambda)`);
  printTable(
    ['runs', 'kernel runs/s', 'browser runs/s (steady)', 'backlog at end', 'catch-up ms', 'end-to-end runs/s', 'header update every ms', 'replayed runs', 'last msg ms after end'],
    [
      [
        fmt(burst.runs),
        fmt(burst.producedPerS),
        fmt(burst.shownPerS),
        fmt(burst.backlogAtEnd),
        fmt(burst.catchUpMs),
        fmt(burst.overallPerS),
        fmt(burst.updateEveryMs),
        fmt(burst.replayedRuns),
        fmt(burst.lastMessageMs)
      ]
    ]
  );
  if (process.env.NBTRACE_BENCH_DEBUG) {
    console.log('after the end: [ms after end, runs, running]', JSON.stringify(burst.tail));
  }
  if (Number.isNaN(burst.catchUpMs)) {
    console.error('  the header never caught up; last seen', burst.lastSeen);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await closeBrowser();
  await stopServer();
}
process.exit(failed ? 1 : 0);
