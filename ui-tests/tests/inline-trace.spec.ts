/**
 * Issue #2: the inline trace view under the cell that ran a chain.
 *
 * Every chain uses LangChain's fake models, so no network and no API key is needed.
 * The server gives kernels a throwaway store (NBTRACE_DB, see
 * jupyter_server_test_config.py).
 */
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
  runType,
  traceTree
} from './helpers';

/** The seed walkthrough's first chain: prompt | chat model | parser. */
const JOKE_CHAIN = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.language_models.fake_chat_models import GenericFakeChatModel',
  'from langchain_core.messages import AIMessage',
  'from langchain_core.output_parsers import StrOutputParser',
  'from langchain_core.prompts import ChatPromptTemplate',
  'prompt = ChatPromptTemplate.from_messages([("system", "You are a comedian."), ("human", "Tell me a joke about {topic}")])',
  'model = GenericFakeChatModel(messages=iter([AIMessage("Why did the bear sit? To rest.")]))',
  'chain = prompt | model | StrOutputParser()',
  'chain.invoke({"topic": "bears"})'
].join('\n');

test.describe('inline trace view', () => {
  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
  });

  test('shows the run tree of a chain under its cell', async ({ page }, testInfo) => {
    await runCodeCell(page, 0, JOKE_CHAIN);

    const output = await cellOutput(page, 0);
    await expect(output).toContainText('Why did the bear sit? To rest.');
    const tree = traceTree(output);
    await expect(tree).toBeVisible({ timeout: FIRST_RENDER_TIMEOUT });

    const root = runRow(tree, 'RunnableSequence', 1);
    await expect(root).toBeVisible();
    await expect(rowsAtLevel(tree, 1)).toHaveCount(1);
    await expect(runType(root)).toHaveText('chain');
    await expectStatus(root, 'ok');
    await expect(rowsAtLevel(tree, 2)).toHaveCount(0);

    await expandRow(root);

    const children = rowsAtLevel(tree, 2);
    await expect(children).toHaveCount(3);
    await expect(children).toContainText([
      'ChatPromptTemplate',
      'GenericFakeChatModel',
      'StrOutputParser'
    ]);
    for (const [name, type] of [
      ['ChatPromptTemplate', 'prompt'],
      ['GenericFakeChatModel', 'llm'],
      ['StrOutputParser', 'parser']
    ]) {
      const row = runRow(tree, name, 2);
      await expect(row).toBeVisible();
      await expect(runType(row)).toHaveText(type);
      await expectStatus(row, 'ok');
    }

    await attachScreenshot(output, testInfo, 'joke-chain-expanded');
  });

  test('a row shows "running" while its run runs, then "ok"', async ({
    page,
    tmpPath
  }, testInfo) => {
    // The slow step waits (at most 60 s) for a file that the test creates once it
    // has seen the "running" state: no race against a fixed sleep.
    const release = 'release-slow-step';
    await runCodeCell(
      page,
      0,
      [
        'import os, time',
        'import nbtrace',
        'nbtrace.enable()',
        'from langchain_core.runnables import RunnableLambda',
        `release = os.path.abspath("${release}")`,
        'wait_for_release = lambda x: ([time.sleep(0.05) for _ in range(1200) if not os.path.exists(release)], x)[1]',
        'chain = (RunnableLambda(lambda x: x + 1, name="first_step") | RunnableLambda(wait_for_release, name="slow_step")).with_config(run_name="slow_chain")'
      ].join('\n')
    );
    await runCodeCell(page, 1, 'chain.invoke(41)', { wait: false });

    const output = await cellOutput(page, 1);
    const tree = traceTree(output);
    const root = runRow(tree, 'slow_chain', 1);
    await expectStatus(root, 'running', { timeout: FIRST_RENDER_TIMEOUT });
    await expandRow(root);
    await expectStatus(runRow(tree, 'first_step', 2), 'ok');
    const slow = runRow(tree, 'slow_step', 2);
    await expectStatus(slow, 'running');
    await expectStatus(root, 'running');
    await attachScreenshot(output, testInfo, 'slow-chain-running');

    expect(await page.contents.uploadContent('go', 'text', `${tmpPath}/${release}`)).toBe(
      true
    );

    await expectStatus(root, 'ok', { timeout: 30_000 });
    await expectStatus(slow, 'ok');
    await page.notebook.waitForRun(1);
    await expect(output).toContainText('42');
    await attachScreenshot(output, testInfo, 'slow-chain-done');
  });

  test('each cell shows only the runs it started (legacy LANGCHAIN_HANDLER switch)', async ({
    page
  }, testInfo) => {
    // The seed's own way to turn tracing on: an environment variable, then import.
    await runCodeCell(
      page,
      0,
      [
        'import os',
        'os.environ["LANGCHAIN_HANDLER"] = "langchain"',
        'import nbtrace',
        'from langchain_core.runnables import RunnableLambda'
      ].join('\n')
    );
    await runCodeCell(
      page,
      1,
      '(RunnableLambda(lambda x: x + 1, name="add_one") | RunnableLambda(lambda x: x * 2, name="double")).with_config(run_name="first_chain").invoke(1)'
    );
    await runCodeCell(
      page,
      2,
      '(RunnableLambda(lambda x: x - 1, name="subtract_one") | RunnableLambda(lambda x: x * 3, name="triple")).with_config(run_name="second_chain").invoke(10)'
    );

    const setup = await cellOutput(page, 0);
    await expect(traceTree(setup)).toHaveCount(0);

    const firstOutput = await cellOutput(page, 1);
    const first = traceTree(firstOutput);
    await expect(runRow(first, 'first_chain', 1)).toBeVisible({
      timeout: FIRST_RENDER_TIMEOUT
    });
    const secondOutput = await cellOutput(page, 2);
    const second = traceTree(secondOutput);
    await expect(runRow(second, 'second_chain', 1)).toBeVisible({
      timeout: FIRST_RENDER_TIMEOUT
    });

    for (const [tree, own, other] of [
      [first, 'first_chain', 'second_chain'],
      [second, 'second_chain', 'first_chain']
    ] as const) {
      await expect(tree).toHaveCount(1);
      await expect(rowsAtLevel(tree, 1)).toHaveCount(1);
      await expectStatus(runRow(tree, own, 1), 'ok');
      await expect(runRow(tree, other)).toHaveCount(0);
    }

    await expandRow(runRow(first, 'first_chain', 1));
    await expect(rowsAtLevel(first, 2)).toContainText(['add_one', 'double']);
    await expandRow(runRow(second, 'second_chain', 1));
    await expect(rowsAtLevel(second, 2)).toContainText(['subtract_one', 'triple']);
    await expect(runRow(first, 'subtract_one')).toHaveCount(0);
    await expect(runRow(second, 'add_one')).toHaveCount(0);

    await attachScreenshot(firstOutput, testInfo, 'first-cell-trace');
    await attachScreenshot(secondOutput, testInfo, 'second-cell-trace');
  });
});
