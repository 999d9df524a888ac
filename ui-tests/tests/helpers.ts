/**
 * Shared helpers of the nbtrace UI tests: running code in a notebook cell and
 * finding the inline trace view under a cell.
 *
 * Every selector of the trace view lives here, so the DOM contract the tests rely
 * on is written down in one place (see README.md).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect } from '@jupyterlab/galata';
import type { Locator, TestInfo } from '@playwright/test';

/** The lab extension's npm name, also the prefix of its plugin ids. */
export const EXTENSION_NAME = 'nbtrace';

/** First appearance of a trace view: kernel start, imports and widget load. */
export const FIRST_RENDER_TIMEOUT = 30_000;

/**
 * Put `source` into the code cell at `index` (appending a cell when `index` is
 * the cell count) and run it in place, so no extra cell is appended.
 *
 * Sources are typed into CodeMirror, which auto-indents after a newline: keep
 * them to unindented lines.
 */
export async function runCodeCell(
  page: IJupyterLabPageFixture,
  index: number,
  source: string,
  options: { wait?: boolean } = {}
): Promise<void> {
  const count = await page.notebook.getCellCount();
  if (index > count) {
    throw new Error(`cell ${index} asked for but the notebook has ${count} cells`);
  }
  const written =
    index === count
      ? await page.notebook.addCell('code', source)
      : await page.notebook.setCell(index, 'code', source);
  expect(written, `writing cell ${index}`).toBe(true);
  const ran = await page.notebook.runCell(index, {
    inplace: true,
    wait: options.wait ?? true
  });
  expect(ran, `running cell ${index}`).toBe(true);
}

/** The output area of the cell at `index`. */
export async function cellOutput(
  page: IJupyterLabPageFixture,
  index: number
): Promise<Locator> {
  const cell = await page.notebook.getCellLocator(index);
  if (!cell) {
    throw new Error(`no cell ${index} in the notebook`);
  }
  return cell.locator('.jp-Cell-outputArea');
}

/** The trace tree(s) inside a cell's output area. */
export function traceTree(output: Locator): Locator {
  return output.getByRole('tree');
}

/**
 * The rows of runs with this name: `treeitem`s whose accessible name is the
 * run name (the row is labelled by its name cell), optionally at one level.
 */
export function runRow(scope: Locator, runName: string, level?: number): Locator {
  const rows = scope.getByRole('treeitem', { name: runName, exact: true });
  return level === undefined ? rows : rows.and(scope.locator(`[aria-level="${level}"]`));
}

export type RunStatus = 'running' | 'ok' | 'error';

/** The status word a row shows: `running`, `ok` or `error`. */
export function runStatus(row: Locator): Locator {
  return row.locator('.nbtrace-status');
}

/** The run-type word a row shows next to its icon: `chain`, `llm`, … */
export function runType(row: Locator): Locator {
  return row.locator('.nbtrace-type__label');
}

/** Wait until a row shows `status` (text and state class agree). */
export async function expectStatus(
  row: Locator,
  status: RunStatus,
  options: { timeout?: number } = {}
): Promise<void> {
  await expect(runStatus(row)).toHaveText(status, options);
  await expect(row).toContainClass(`nbtrace-row--${status}`);
}

/** Rows at one nesting level (1 = top-level runs). */
export function rowsAtLevel(scope: Locator, level: number): Locator {
  return scope.locator(`[role="treeitem"][aria-level="${level}"]`);
}

/** Show a row's children, the way a keyboard user does (ARIA tree pattern). */
export async function expandRow(row: Locator): Promise<void> {
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  await row.focus();
  await row.press('ArrowRight');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
}

/**
 * Save an element screenshot of `target` under the test's output folder
 * (test-results/…) and attach it to the report.
 */
export async function attachScreenshot(
  target: Locator,
  testInfo: TestInfo,
  name: string
): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await target.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

