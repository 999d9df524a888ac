/**
 * What JupyterLab spends sanitizing saved trace outputs' HTML fallback.
 *
 * JupyterLab's table of contents looks for headings in every text/html output of
 * a code cell: it sanitizes that HTML each time the cell's outputs change (a
 * traced cell's output is replaced at its end) and for every cell when a
 * notebook opens, whether or not the table of contents is shown. This times its
 * sanitizer (@jupyterlab/apputils) on the HTML files given, taking turns, and
 * prints the median of each. No browser: the sanitizer is plain JavaScript.
 *
 *   node bench/browser/sanitize_cost.mjs FILE.html [FILE.html ...]
 *
 * bench/notebook_size.py calls it with the fallback of its traces.
 */
import fs from 'fs';
import { Sanitizer } from '@jupyterlab/apputils/lib/sanitizer.js';

const ROUNDS = 40;
const WARM_UP = 10;

const files = process.argv.slice(2).map(path => ({ path, html: fs.readFileSync(path, 'utf8'), ms: [] }));
if (files.length === 0) {
  console.error('usage: node bench/browser/sanitize_cost.mjs FILE.html [FILE.html ...]');
  process.exit(2);
}
const sanitizer = new Sanitizer();
for (let round = 0; round < ROUNDS; round++) {
  for (const file of files) {
    const started = performance.now();
    sanitizer.sanitize(file.html);
    if (round >= WARM_UP) {
      file.ms.push(performance.now() - started);
    }
  }
}
for (const file of files) {
  const sorted = [...file.ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${file.path}\t${file.html.length}\t${median.toFixed(1)}`);
}
