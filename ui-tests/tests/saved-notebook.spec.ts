/**
 * Issue #6: traces live in the notebook. A saved notebook shows its traces
 * without a kernel, from what its outputs hold (no widget state needed).
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { expect, test } from '@jupyterlab/galata';

import {
  FIRST_RENDER_TIMEOUT,
  attachScreenshot,
  cellOutput,
  expandRow,
  expectStatus,
  rowsAtLevel,
  runCodeCell,
  runRow,
  traceTree
} from './helpers';

const FIXTURE = 'saved_traces.ipynb';

const JOKE_CHAIN = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.runnables import RunnableLambda',
  '(RunnableLambda(str.strip, name="clean") | RunnableLambda(str.upper, name="shout")).with_config(run_name="survives_reload").invoke("  hi ")'
].join('\n');

async function shutDownKernels(page: import('@jupyterlab/galata').IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.serviceManager.sessions.refreshRunning();
    await window.jupyterapp.serviceManager.kernels.shutdownAll();
  });
}

test.describe('saved traces', () => {
  test('a notebook saved by nbtrace, without widget state, shows its trace with no kernel', async ({
    page,
    tmpPath
  }, testInfo) => {
    const content = readFileSync(resolve(__dirname, '..', 'notebooks', FIXTURE), 'utf-8');
    expect(await page.contents.uploadContent(content, 'text', `${tmpPath}/${FIXTURE}`)).toBe(true);
    await page.filebrowser.openDirectory(tmpPath);
    expect(await page.notebook.open(FIXTURE)).toBe(true);
    await shutDownKernels(page);

    const output = await cellOutput(page, 1);
    const tree = traceTree(output);
    const root = runRow(tree, 'saved_joke_chain', 1);
    await expect(root).toBeVisible({ timeout: FIRST_RENDER_TIMEOUT });
    await expectStatus(root, 'ok');
    await expandRow(root);
    await expect(rowsAtLevel(tree, 2)).toHaveCount(3);
    await expect(runRow(tree, 'GenericFakeChatModel', 2)).toBeVisible();
    await expect(output).not.toContainText('Error displaying widget');
    await attachScreenshot(output, testInfo, 'saved-fixture');
  });

  test('a traced cell is still there after save, kernel shutdown and page reload', async ({ page }, testInfo) => {
    await page.notebook.createNew('reopened.ipynb');
    await runCodeCell(page, 0, JOKE_CHAIN);
    let output = await cellOutput(page, 0);
    await expectStatus(runRow(traceTree(output), 'survives_reload', 1), 'ok', { timeout: FIRST_RENDER_TIMEOUT });
    await test.step('save', () => page.notebook.save());
    await test.step('shut down the kernel', () => shutDownKernels(page));
    await test.step('reload', async () => {
      // The browser's own reload: Galata's page.reload() also waits for a Launcher tab
      // that the restored layout (this notebook) does not show.
      await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.location.reload())]);
      await page.locator('#jupyterlab-splash').waitFor({ state: 'detached', timeout: FIRST_RENDER_TIMEOUT });
    });
    await test.step('reopen', async () => {
      expect(await page.notebook.open('reopened.ipynb')).toBe(true);
    });
    // the restored layout and open() may both show the notebook: look at the first
    output = (await cellOutput(page, 0)).filter({ visible: true }).first();
    const tree = traceTree(output);
    const root = runRow(tree, 'survives_reload', 1);
    await expect(root).toBeVisible({ timeout: FIRST_RENDER_TIMEOUT });
    await expandRow(root);
    await expect(runRow(tree, 'shout', 2)).toBeVisible();
    await attachScreenshot(output, testInfo, 'after-reload');
  });
});
