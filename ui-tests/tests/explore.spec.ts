/**
 * Issue #4: the Explore panel. "Explore" on a run of the inline trace opens a
 * panel beside the notebook with the trace's run tree and everything about
 * the selected run.
 *
 * Every chain uses LangChain's fake models or plain lambdas: no network, no key.
 * Selectors of the panel used here (its DOM contract):
 *   .nbtrace-explore-panel       the main-area widget (one per trace)
 *   role=tree "Runs of <root>"   the panel's run tree (treeitems named by run name)
 *   role=tab / role=tabpanel     the selected run's tabs
 *   .nbtrace-detail__name        the selected run's name
 *   .nbtrace-msg--<role>         a chat message (system, human, ai, tool)
 *   .nbtrace-error__type / __message, pre.nbtrace-traceback
 *   .nbtrace-timeline__bar       a run's bar in the timeline (aria-label "<name>: …")
 */
import { readFileSync } from 'fs';
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import {
  FIRST_RENDER_TIMEOUT,
  attachScreenshot,
  cellOutput,
  expectStatus,
  runCodeCell,
  runRow,
  traceTree
} from './helpers';

/** The seed walkthrough's chain: prompt | fake chat model | parser. */
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

/** A chain whose second step raises ValueError (int("bears")). */
const FAILING_CHAIN = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.runnables import RunnableLambda',
  'chain = (RunnableLambda(lambda x: x.strip(), name="clean") | RunnableLambda(lambda x: int(x), name="parse")).with_config(run_name="failing_chain")',
  'chain.invoke(" bears ")'
].join('\n');

const XSS =
  '<img src=x onerror="window.__nbtrace_xss=1">' +
  '<script>window.__nbtrace_xss=2</script>' +
  '<a href="javascript:window.__nbtrace_xss=3">x</a>';

/** A tool whose output is markup that would run script if it were rendered. */
const XSS_TOOL = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.tools import Tool',
  `EVIL = '<img src=x onerror="window.__nbtrace_xss=1">' + '<script>window.__nbtrace_xss=2</script>' + '<a href="javascript:window.__nbtrace_xss=3">x</a>'`,
  'html_tool = Tool(name="html_tool", func=lambda q: EVIL, description="returns html")',
  'html_tool.invoke("go")'
].join('\n');

/** A two-step agent: the model asks for a tool, the tool answers, the model replies. */
const TOOL_AGENT = [
  'import nbtrace',
  'nbtrace.enable()',
  'from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel',
  'from langchain_core.messages import AIMessage, HumanMessage, ToolMessage',
  'from langchain_core.runnables import RunnableLambda',
  'from langchain_core.tools import StructuredTool',
  'get_weather = StructuredTool.from_function(func=lambda city: "sunny in " + city, name="get_weather", description="The weather in a city")',
  'model = FakeMessagesListChatModel(responses=[AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "call_1"}]), AIMessage("It is sunny in Paris.")])',
  'think = RunnableLambda(lambda msgs: msgs + [model.invoke(msgs)], name="think")',
  'act = RunnableLambda(lambda msgs: msgs + [ToolMessage(get_weather.invoke(c["args"]), tool_call_id=c["id"]) for c in msgs[-1].tool_calls], name="act")',
  'answer = RunnableLambda(lambda msgs: msgs + [model.invoke(msgs)], name="answer")',
  'agent = (think | act | answer).with_config(run_name="weather_agent")',
  'result = agent.invoke([HumanMessage("What is the weather in Paris?")])'
].join('\n');

/** Click the Explore button of a row of the inline tree under cell `index`. */
async function exploreFromCell(
  page: IJupyterLabPageFixture,
  index: number,
  rootName: string
): Promise<Locator> {
  const output = await cellOutput(page, index);
  const tree = traceTree(output);
  const root = runRow(tree, rootName, 1);
  await expect(root).toBeVisible({ timeout: FIRST_RENDER_TIMEOUT });
  await root.hover();
  const button = root.getByRole('button', { name: `Explore ${rootName}`, exact: true });
  await expect(button).toBeVisible();
  await button.click();
  const panel = page.locator('.nbtrace-explore-panel');
  await expect(panel).toHaveCount(1);
  await expect(panel).toBeVisible();
  return panel;
}

function panelTree(panel: Locator, rootName: string): Locator {
  return panel.getByRole('tree', { name: `Runs of ${rootName}` });
}

function selectedRow(tree: Locator): Locator {
  return tree.locator('[role="treeitem"][aria-selected="true"]');
}

test.describe('Explore panel', () => {
  test.beforeEach(async ({ page }) => {
    await page.notebook.createNew();
  });

  test('shows the exact messages and generation of the LLM run', async ({ page }, testInfo) => {
    await runCodeCell(page, 0, JOKE_CHAIN);
    const output = await cellOutput(page, 0);
    await expect(output).toContainText('Why did the bear sit? To rest.');
    await expectStatus(runRow(traceTree(output), 'RunnableSequence', 1), 'ok', {
      timeout: FIRST_RENDER_TIMEOUT
    });

    await runRow(traceTree(output), 'RunnableSequence', 1).hover();
    await attachScreenshot(output, testInfo, 'inline-explore-button');
    const panel = await exploreFromCell(page, 0, 'RunnableSequence');
    // A main-area tab titled with the root run's name.
    await expect(page.getByRole('tab', { name: 'RunnableSequence' })).toBeVisible();
    const tree = panelTree(panel, 'RunnableSequence');
    await expect(tree.getByRole('treeitem')).toHaveCount(4);
    await expect(selectedRow(tree)).toHaveAccessibleName('RunnableSequence');
    await expect(panel.locator('.nbtrace-detail__name')).toHaveText('RunnableSequence');
    await expect(panel.getByRole('tabpanel')).toContainText('bears');
    await expect(panel.getByRole('tabpanel')).toContainText('Why did the bear sit? To rest.');
    await attachScreenshot(panel, testInfo, 'explore-root');

    await runRow(tree, 'GenericFakeChatModel').click();
    await expect(selectedRow(tree)).toHaveAccessibleName('GenericFakeChatModel');
    await expect(panel.locator('.nbtrace-detail__name')).toHaveText('GenericFakeChatModel');
    await expect(panel.getByRole('tab', { selected: true })).toHaveText('Conversation');
    const body = (role: string): Locator =>
      panel.locator(`.nbtrace-msg--${role} .nbtrace-msg__content .nbtrace-text__body`);
    await expect(body('system')).toHaveText('You are a comedian.', { useInnerText: true });
    await expect(body('human')).toHaveText('Tell me a joke about bears', { useInnerText: true });
    await expect(body('ai')).toHaveText('Why did the bear sit? To rest.', { useInnerText: true });
    await expect(panel.locator('.nbtrace-msg--ai .nbtrace-msg__badge')).toHaveText('output');
    await expect(panel.locator('.nbtrace-llm-facts__model-name')).toHaveText('generic-fake-chat-model');
    await attachScreenshot(panel, testInfo, 'explore-llm');

    // The timeline selects too.
    await panel.getByRole('button', { name: /^StrOutputParser: / }).click();
    await expect(selectedRow(tree)).toHaveAccessibleName('StrOutputParser');

    // Explore on the same trace again focuses the same panel, at that run.
    const inline = traceTree(output);
    await runRow(inline, 'RunnableSequence', 1).hover();
    await runRow(inline, 'RunnableSequence', 1)
      .getByRole('button', { name: 'Explore RunnableSequence', exact: true })
      .click();
    await expect(page.locator('.nbtrace-explore-panel')).toHaveCount(1);
    await expect(selectedRow(tree)).toHaveAccessibleName('RunnableSequence');
  });

  test('Download trace saves every run as JSON Lines that nbtrace import reads', async ({ page, tmpPath }) => {
    await runCodeCell(page, 0, JOKE_CHAIN);
    const output = await cellOutput(page, 0);
    await expectStatus(runRow(traceTree(output), 'RunnableSequence', 1), 'ok', {
      timeout: FIRST_RENDER_TIMEOUT
    });
    const panel = await exploreFromCell(page, 0, 'RunnableSequence');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download trace' }).click()
    ]);
    expect(download.suggestedFilename()).toMatch(/^RunnableSequence-[0-9a-f]{8}\.jsonl$/);
    const path = await download.path();
    const text = readFileSync(path, 'utf-8');
    const lines: { name: string; inputs: unknown; session_name: string }[] = text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines.map(run => run.name).sort()).toEqual(
      ['ChatPromptTemplate', 'GenericFakeChatModel', 'RunnableSequence', 'StrOutputParser'].sort()
    );
    const llm = lines.find(run => run.name === 'GenericFakeChatModel');
    // whole payloads, from the store: the exact prompt the model got
    expect(JSON.stringify(llm?.inputs)).toContain('Tell me a joke about bears');
    expect(Object.keys(lines[0])).toContain('session_name');

    // and the kernel brings the file back
    expect(await page.contents.uploadContent(text, 'text', `${tmpPath}/downloaded.jsonl`)).toBe(true);
    expect(await page.notebook.activate('Untitled.ipynb')).toBe(true);
    await runCodeCell(page, 1, 'runs = nbtrace.load_runs("downloaded.jsonl", session="reloaded")\nprint(len(runs), sorted({r["session_name"] for r in runs}))');
    await expect(await cellOutput(page, 1)).toContainText("4 ['reloaded']");
  });

  test('a failing chain shows the exception and traceback, and jumps to the failing run', async ({
    page
  }, testInfo) => {
    await runCodeCell(page, 0, FAILING_CHAIN);
    const output = await cellOutput(page, 0);
    await expectStatus(runRow(traceTree(output), 'failing_chain', 1), 'error', {
      timeout: FIRST_RENDER_TIMEOUT
    });

    const panel = await exploreFromCell(page, 0, 'failing_chain');
    const tree = panelTree(panel, 'failing_chain');
    // The root is marked failed, as the step that raised.
    await expectStatus(runRow(tree, 'failing_chain'), 'error');
    await expectStatus(runRow(tree, 'parse'), 'error');
    await expectStatus(runRow(tree, 'clean'), 'ok');
    await expect(panel.locator('.nbtrace-error__type').first()).toHaveText('ValueError');

    await panel
      .locator('.nbtrace-explore__header')
      .getByRole('button', { name: 'Jump to failing run' })
      .click();
    await expect(selectedRow(tree)).toHaveAccessibleName('parse');
    await expect(panel.getByRole('tab', { selected: true })).toHaveText('Error');
    const tabpanel = panel.getByRole('tabpanel');
    await expect(tabpanel.locator('.nbtrace-error__type')).toHaveText('ValueError');
    await expect(tabpanel.locator('.nbtrace-error__message')).toHaveText(
      "invalid literal for int() with base 10: 'bears'"
    );
    const traceback = tabpanel.locator('pre.nbtrace-traceback');
    await expect(traceback).toContainText('Traceback (most recent call last):');
    await expect(traceback).toContainText('int(x)');
    await expect(traceback).toContainText("ValueError: invalid literal for int() with base 10: 'bears'");
    await attachScreenshot(panel, testInfo, 'explore-error');
  });

  test('run content that is markup shows as text and runs nothing', async ({ page }, testInfo) => {
    await runCodeCell(page, 0, XSS_TOOL);
    const output = await cellOutput(page, 0);
    await expectStatus(runRow(traceTree(output), 'html_tool', 1), 'ok', {
      timeout: FIRST_RENDER_TIMEOUT
    });

    const panel = await exploreFromCell(page, 0, 'html_tool');
    const tabpanel = panel.getByRole('tabpanel');
    await expect(tabpanel.getByText(XSS, { exact: true })).toBeVisible();
    await panel.getByRole('tab', { name: 'Outputs' }).click();
    await expect(tabpanel).toContainText(XSS);
    await expect(panel.locator('img, script, a, [href], [onerror]')).toHaveCount(0);
    await attachScreenshot(panel, testInfo, 'explore-xss');
    expect(await page.evaluate(() => (window as any).__nbtrace_xss)).toBeUndefined();
  });

  test('the keyboard moves the selection through the run tree', async ({ page }, testInfo) => {
    // A roomy window: the panel lays the tree and the run side by side.
    await page.setViewportSize({ width: 1680, height: 900 });
    await page.sidebar.close('left');
    await runCodeCell(page, 0, JOKE_CHAIN);
    const panel = await exploreFromCell(page, 0, 'RunnableSequence');
    const tree = panelTree(panel, 'RunnableSequence');
    await expect(tree.getByRole('treeitem')).toHaveCount(4);
    const name = panel.locator('.nbtrace-detail__name');

    const root = runRow(tree, 'RunnableSequence');
    await root.focus();
    await expect(selectedRow(tree)).toHaveAccessibleName('RunnableSequence');
    await page.keyboard.press('ArrowDown');
    await expect(selectedRow(tree)).toHaveAccessibleName('ChatPromptTemplate');
    await expect(name).toHaveText('ChatPromptTemplate');
    await page.keyboard.press('ArrowDown');
    await expect(selectedRow(tree)).toHaveAccessibleName('GenericFakeChatModel');
    await page.keyboard.press('End');
    await expect(selectedRow(tree)).toHaveAccessibleName('StrOutputParser');
    await expect(name).toHaveText('StrOutputParser');
    await page.keyboard.press('ArrowUp');
    await expect(selectedRow(tree)).toHaveAccessibleName('GenericFakeChatModel');
    await page.keyboard.press('Home');
    await expect(selectedRow(tree)).toHaveAccessibleName('RunnableSequence');
    await expect(selectedRow(tree)).toBeFocused();
    // ArrowLeft collapses the root, ArrowRight opens it again.
    await page.keyboard.press('ArrowLeft');
    await expect(tree.getByRole('treeitem')).toHaveCount(1);
    await page.keyboard.press('ArrowRight');
    await expect(tree.getByRole('treeitem')).toHaveCount(4);
    await expect(selectedRow(tree)).toHaveCount(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(selectedRow(tree)).toHaveAccessibleName('GenericFakeChatModel');
    await attachScreenshot(panel, testInfo, 'explore-keyboard-wide');
  });

  test('a tool-calling conversation shows tool calls and their results', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1680, height: 900 });
    await page.sidebar.close('left');
    await runCodeCell(page, 0, TOOL_AGENT);
    const output = await cellOutput(page, 0);
    await expectStatus(runRow(traceTree(output), 'weather_agent', 1), 'ok', {
      timeout: FIRST_RENDER_TIMEOUT
    });
    const panel = await exploreFromCell(page, 0, 'weather_agent');
    const tree = panelTree(panel, 'weather_agent');
    await expect(tree.getByRole('treeitem')).toHaveCount(7);
    // The second model call: it saw the tool call and the tool's result.
    await runRow(tree, 'FakeMessagesListChatModel').last().click();
    const messages = panel.locator('.nbtrace-msg');
    await expect(messages).toHaveCount(4);
    await expect(messages.locator('.nbtrace-msg__role')).toHaveText(['Human', 'AI', 'Tool', 'AI']);
    const call = messages.nth(1).locator('.nbtrace-toolcall');
    await expect(call.locator('.nbtrace-toolcall__name')).toHaveText('get_weather');
    await expect(call).toContainText('call_1');
    await expect(call.locator('.nbtrace-json')).toContainText('city');
    await expect(call.locator('.nbtrace-json')).toContainText('"Paris"');
    await expect(messages.nth(2).locator('.nbtrace-msg__result-of')).toContainText('result of get_weather');
    await expect(messages.nth(2).locator('.nbtrace-text__body')).toHaveText('sunny in Paris');
    await expect(messages.nth(3).locator('.nbtrace-text__body')).toHaveText('It is sunny in Paris.');
    await attachScreenshot(panel, testInfo, 'explore-tool-calls');

    // The tool run itself, and the same panel in the dark theme.
    await runRow(tree, 'get_weather').click();
    await expect(panel.getByRole('tabpanel')).toContainText('sunny in Paris');
    await page.theme.setDarkTheme();
    await runRow(tree, 'FakeMessagesListChatModel').last().click();
    await attachScreenshot(panel, testInfo, 'explore-tool-calls-dark');
  });

  test('a running trace keeps updating in the panel, which outlives its notebook', async ({
    page,
    tmpPath
  }, testInfo) => {
    // The slow step waits (at most 60 s) for a file the test creates once it has
    // seen the run running in the panel: no race against a fixed sleep.
    const release = 'release-explore-step';
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
    await expectStatus(runRow(traceTree(output), 'slow_chain', 1), 'running', {
      timeout: FIRST_RENDER_TIMEOUT
    });

    const panel = await exploreFromCell(page, 1, 'slow_chain');
    const tree = panelTree(panel, 'slow_chain');
    await expectStatus(runRow(tree, 'slow_step'), 'running');
    await expect(panel.locator('.nbtrace-live')).toBeVisible();
    await runRow(tree, 'slow_step').click();
    await expect(panel.getByRole('tabpanel')).toContainText('Running…');
    await attachScreenshot(panel, testInfo, 'explore-running');

    expect(await page.contents.uploadContent('go', 'text', `${tmpPath}/${release}`)).toBe(true);
    await expectStatus(runRow(tree, 'slow_chain'), 'ok', { timeout: 30_000 });
    await expectStatus(runRow(tree, 'slow_step'), 'ok');
    await expect(panel.locator('.nbtrace-live')).toHaveCount(0);
    await expect(panel.getByRole('tabpanel')).toContainText('42');

    // Closing the notebook leaves the panel whole and usable.
    await page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: '.ipynb' }).click();
    expect(await page.notebook.close(true)).toBe(true);
    await expect(page.locator('.jp-NotebookPanel')).toHaveCount(0);
    await expect(panel).toBeVisible();
    await runRow(tree, 'first_step').click();
    await expect(panel.locator('.nbtrace-detail__name')).toHaveText('first_step');
    await expect(panel.getByRole('tabpanel')).toContainText('41');
    await attachScreenshot(panel, testInfo, 'explore-after-close');

    // No notebook holds the trace any more: Reload reads it from the nbtrace store.
    await panel.getByRole('button', { name: 'Reload' }).click();
    await expect(panel.getByRole('button', { name: 'Reload' })).toBeEnabled();
    await expect(panel.getByRole('alert')).toHaveCount(0);
    await expect(tree.getByRole('treeitem')).toHaveCount(3);
    await expect(selectedRow(tree)).toHaveAccessibleName('first_step');
    await expectStatus(runRow(tree, 'slow_chain'), 'ok');
    await runRow(tree, 'slow_step').click();
    await expect(panel.getByRole('tabpanel')).toContainText('42');
  });
});
