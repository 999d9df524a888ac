/**
 * Issue #6: traces live in the notebook. A saved notebook shows its traces
 * without a kernel, from what its outputs hold (no widget state needed); a
 * trace whose kernel goes away mid-run (restart, crash) keeps its runs, the open
 * ones ended as interrupted, and never becomes "model not found"; one that ends
 * while its notebook is closed shows whole when the notebook is reopened.
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
const SNAPSHOT = 'application/vnd.nbtrace.trace+json';

const JOKE_CHAIN = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.runnables import RunnableLambda',
  '(RunnableLambda(str.strip, name="clean") | RunnableLambda(str.upper, name="shout")).with_config(run_name="survives_reload").invoke("  hi ")'
].join('\n');

const CUT_OFF_CHAIN = [
  'import time, nbtrace',
  'nbtrace.enable()',
  'from langchain_core.runnables import RunnableLambda',
  'slow = RunnableLambda(lambda x: time.sleep(300) or x, name="slow_step")',
  '(RunnableLambda(str.strip, name="quick") | slow).with_config(run_name="cut_off").invoke(" hi ")'
].join('\n');

const WIDGET_MIME_TYPE = 'application/vnd.jupyter.widget-view+json';

/**
 * A cell whose chain `runName` runs `quick`, then `stepName`, which waits (a minute at
 * most) for the test to write the file `release` beside the notebook, then evaluates
 * `then` (Python, of the step's input `x`).
 */
function heldChain(runName: string, stepName: string, release: string, then: string): string {
  return [
    'import os, signal, time, nbtrace',
    'nbtrace.enable()',
    'from langchain_core.runnables import RunnableLambda',
    `release = os.path.abspath("${release}")`,
    'held = lambda: next((True for _ in range(1200) if os.path.exists(release) or time.sleep(0.05)), False)',
    `step = lambda x: (held(), ${then})[1]`,
    `(RunnableLambda(str.strip, name="quick") | RunnableLambda(step, name="${stepName}")).with_config(run_name="${runName}").invoke(" hi ")`
  ].join('\n');
}

/** The MIME types of the first output of the current notebook's cell `index`. */
async function outputMimeTypes(page: import('@jupyterlab/galata').IJupyterLabPageFixture, index: number): Promise<string[]> {
  return page.evaluate(i => {
    const panel = window.jupyterapp.shell.currentWidget as any;
    return Object.keys(panel.content.model.cells.get(i).outputs.get(0).data);
  }, index);
}

async function reload(page: import('@jupyterlab/galata').IJupyterLabPageFixture): Promise<void> {
  // The browser's own reload: Galata's page.reload() also waits for a Launcher tab
  // that the restored layout (this notebook) does not show.
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.location.reload())]);
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached', timeout: FIRST_RENDER_TIMEOUT });
}

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
    await test.step('reload', () => reload(page));
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

  test.describe('with kernels not mocked', () => {
    // Galata's stand-in for the kernels API answers a restart request as a kernel creation.
    test.use({ kernels: null });

    test('a trace running when its kernel restarts ends as interrupted, and stays in the notebook', async ({
      page
    }, testInfo) => {
      await page.notebook.createNew('restarted.ipynb');
      await runCodeCell(page, 0, CUT_OFF_CHAIN, { wait: false });
      let output = await cellOutput(page, 0);
      let tree = traceTree(output);
      let root = runRow(tree, 'cut_off', 1);
      await expectStatus(root, 'running', { timeout: FIRST_RENDER_TIMEOUT });
      await expandRow(root);
      await expectStatus(runRow(tree, 'slow_step', 2), 'running');

      await test.step('restart the kernel mid-run', () =>
        page.evaluate(async () => {
          const panel = window.jupyterapp.shell.currentWidget as any;
          await panel.sessionContext.session.kernel.restart();
        })
      );
      await expectStatus(root, 'error', { timeout: 30_000 });
      if ((await root.getAttribute('aria-expanded')) === 'false') {
        await expandRow(root); // the output is redrawn as the saved trace
      }
      await expectStatus(runRow(tree, 'slow_step', 2), 'error');
      await expectStatus(runRow(tree, 'quick', 2), 'ok');
      await expect(output.locator('.nbtrace-row--running')).toHaveCount(0);
      expect(await outputMimeTypes(page, 0)).not.toContain(WIDGET_MIME_TYPE);
      await attachScreenshot(output, testInfo, 'after-restart');

      await test.step('save, shut down, reload, reopen', async () => {
        await page.notebook.save();
        await shutDownKernels(page);
        await reload(page);
        expect(await page.notebook.open('restarted.ipynb')).toBe(true);
      });
      output = (await cellOutput(page, 0)).filter({ visible: true }).first();
      tree = traceTree(output);
      root = runRow(tree, 'cut_off', 1);
      await expectStatus(root, 'error', { timeout: FIRST_RENDER_TIMEOUT });
      await expandRow(root);
      await expectStatus(runRow(tree, 'slow_step', 2), 'error');
      await expect(output).not.toContainText('Error displaying widget');
      await attachScreenshot(output, testInfo, 'restarted-and-reopened');
    });

    test('a trace running when its kernel crashes ends as interrupted', async ({ page, tmpPath }, testInfo) => {
      // The slow step waits for a file the test writes once it has seen "running", then
      // kills its own kernel process; the server starts a new kernel.
      const release = 'release-crash';
      await page.notebook.createNew('crashed.ipynb');
      await runCodeCell(page, 0, heldChain('crashed', 'crashing_step', release, 'os.kill(os.getpid(), signal.SIGKILL)'), {
        wait: false
      });
      const output = await cellOutput(page, 0);
      const tree = traceTree(output);
      const root = runRow(tree, 'crashed', 1);
      await expectStatus(root, 'running', { timeout: FIRST_RENDER_TIMEOUT });

      expect(await page.contents.uploadContent('go', 'text', `${tmpPath}/${release}`)).toBe(true);
      await expectStatus(root, 'error', { timeout: 30_000 });
      // JupyterLab says the kernel died and will restart; the dialog holds the keyboard.
      await page.locator('.jp-Dialog').getByRole('button', { name: 'Ok' }).click();
      if ((await root.getAttribute('aria-expanded')) === 'false') {
        await expandRow(root);
      }
      await expectStatus(runRow(tree, 'crashing_step', 2), 'error');
      await expect(output.locator('.nbtrace-row--running')).toHaveCount(0);
      expect(await outputMimeTypes(page, 0)).not.toContain(WIDGET_MIME_TYPE);
      await attachScreenshot(output, testInfo, 'after-crash');
      await shutDownKernels(page);
    });

    test('a trace that ends while its notebook is closed shows whole when reopened', async ({
      page,
      tmpPath
    }, testInfo) => {
      // Saved mid-run, the file holds the kernel's copy from the cell's start (no runs);
      // the kernel's final copy reaches no page. Reopened, the trace comes from the store.
      const name = 'finished-while-closed.ipynb';
      const runName = `finished_while_closed_${Date.now().toString(36)}`;
      const release = 'release-finish';
      await page.notebook.createNew(name);
      await runCodeCell(page, 0, heldChain(runName, 'wait_for_the_test', release, 'x'), { wait: false });
      await expectStatus(runRow(traceTree(await cellOutput(page, 0)), runName, 1), 'running', {
        timeout: FIRST_RENDER_TIMEOUT
      });
      await test.step('save mid-run, close the notebook; its kernel runs on', async () => {
        await page.notebook.save();
        const saved = await (await page.request.get(`/api/contents/${tmpPath}/${name}?content=1`)).json();
        const views = saved.content.cells[0].metadata.nbtrace.views;
        expect(Object.values(views)).toEqual([[expect.any(String)]]); // the one trace its view shows
        expect(await page.notebook.close(true)).toBe(true);
      });
      await test.step('the chain ends meanwhile', async () => {
        expect(await page.contents.uploadContent('go', 'text', `${tmpPath}/${release}`)).toBe(true);
        await expect
          .poll(
            async () => {
              const response = await page.request.get('/nbtrace/api/sessions/default/traces?limit=50');
              const { traces } = await response.json();
              return traces.find((trace: any) => trace.name === runName)?.end_time ?? null;
            },
            { timeout: 60_000 }
          )
          .not.toBeNull();
        await expect // the cell's end closes its widget
          .poll(async () => (await (await page.request.get('/api/kernels')).json()).map((k: any) => k.execution_state), {
            timeout: 30_000
          })
          .not.toContain('busy');
      });
      await test.step('reopen', async () => {
        expect(await page.notebook.open(name)).toBe(true);
      });
      const output = await cellOutput(page, 0);
      const tree = traceTree(output);
      const root = runRow(tree, runName, 1);
      await expectStatus(root, 'ok', { timeout: FIRST_RENDER_TIMEOUT });
      await expandRow(root);
      await expectStatus(runRow(tree, 'wait_for_the_test', 2), 'ok');
      await expectStatus(runRow(tree, 'quick', 2), 'ok');
      await expect(output).not.toContainText('Saved while runs were still going');
      await expect(output).toContainText('Rebuilt from the nbtrace store');
      expect(await outputMimeTypes(page, 0)).not.toContain(WIDGET_MIME_TYPE);
      await attachScreenshot(output, testInfo, 'finished-while-closed');
      await shutDownKernels(page);
    });
  });

  test('a notebook saved while its trace ran shows that trace when reopened on another kernel', async ({
    page,
    tmpPath
  }, testInfo) => {
    // As saved mid-run: the live widget (whose kernel is long gone) beside the saved trace.
    const notebook = JSON.parse(readFileSync(resolve(__dirname, '..', 'notebooks', FIXTURE), 'utf-8'));
    const traced = notebook.cells.flatMap((cell: any) => cell.outputs ?? []).find((o: any) => o.data?.[SNAPSHOT]);
    traced.data[WIDGET_MIME_TYPE] = { version_major: 2, version_minor: 0, model_id: 'f00dfeedf00dfeedf00dfeedf00dfeed' };
    const name = 'saved-mid-run.ipynb';
    expect(await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/${name}`)).toBe(true);
    await page.filebrowser.openDirectory(tmpPath);
    expect(await page.notebook.open(name)).toBe(true);

    // Settled once the new kernel has said which widgets it holds.
    await expect
      .poll(() => outputMimeTypes(page, 1), { timeout: FIRST_RENDER_TIMEOUT })
      .not.toContain(WIDGET_MIME_TYPE);
    const hasKernel = await page.evaluate(() => Boolean((window.jupyterapp.shell.currentWidget as any).sessionContext.session?.kernel));
    expect(hasKernel, 'settled against a running kernel, not for want of one').toBe(true);
    const output = await cellOutput(page, 1);
    const root = runRow(traceTree(output), 'saved_joke_chain', 1);
    await expect(root).toBeVisible();
    await expectStatus(root, 'ok');
    await expect(output).not.toContainText('Error displaying widget');
    await attachScreenshot(output, testInfo, 'saved-mid-run-reopened');
  });
});
