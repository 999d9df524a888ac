/**
 * Issue #3: the Sessions sidebar.
 *
 * The seed walkthrough in the sidebar: `default` is there, a session created in the
 * form, a chain recorded to `default`, a switch with
 * `nbtrace.set_tracing_callback_manager(session_name="my_session")`, a second chain
 * recorded there; an empty session says "No Runs". The sidebar polls the store, so
 * the test waits on what it shows (expect auto-waiting), never on time.
 *
 * The server may be reused across runs (and other specs record to `default` too),
 * so chain names carry a per-run tag and the sessions this test creates are removed
 * through the REST API first.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

import { FIRST_RENDER_TIMEOUT, attachScreenshot, runCodeCell } from './helpers';

// -- The sidebar's DOM contract (src/sessions/) --------------------------------

/** The sidebar widget id, also its tab's `data-id`. */
const SIDEBAR_ID = 'nbtrace-sessions';

function sidebar(page: Page): Locator {
  return page.locator(`#${SIDEBAR_ID}`);
}

/** The button that selects a session; its accessible name is the session name. */
function sessionButton(panel: Locator, name: string): Locator {
  return panel
    .getByRole('list', { name: 'Sessions' })
    .getByRole('button', { name, exact: true });
}

/** The listbox of the selected session's traces (absent when the session is empty). */
function traceList(panel: Locator): Locator {
  return panel.getByRole('listbox', { name: /^Traces of session / });
}

/** Trace rows: `option`s named by the trace's root run. */
function traceRows(panel: Locator, name?: string): Locator {
  return name === undefined
    ? traceList(panel).getByRole('option')
    : traceList(panel).getByRole('option', { name, exact: true });
}

async function createSession(panel: Locator, name: string): Promise<void> {
  await panel.getByLabel('New session').fill(name);
  await panel.getByRole('button', { name: 'Create' }).click();
  await expect(sessionButton(panel, name)).toHaveAttribute('aria-current', 'true');
}

async function selectSession(panel: Locator, name: string): Promise<void> {
  await sessionButton(panel, name).click();
  await expect(sessionButton(panel, name)).toHaveAttribute('aria-current', 'true');
  await expect(panel.locator('.nbtrace-traces__session')).toHaveText(name);
}

/** Remove a session left by an earlier run against the same server. */
async function removeSession(page: Page, name: string): Promise<void> {
  const response = await page.request.delete(
    `/nbtrace/api/sessions/${encodeURIComponent(name)}`
  );
  expect([204, 404]).toContain(response.status());
}

test.describe('sessions sidebar', () => {
  // Galata's kernel-session tracker intercepts every URL matching /api/sessions,
  // ours (/nbtrace/api/sessions) included, and expects Jupyter's answers there.
  // Send nbtrace's own API straight to the server (a later route runs first).
  test.beforeEach(async ({ page }) => {
    await page.route(/\/nbtrace\/api\//, route => route.continue());
  });

  test('lists sessions and their traces; an empty session says "No Runs"', async ({
    page
  }, testInfo) => {
    const tag = `${Date.now().toString(36)}${testInfo.workerIndex}`;
    const firstChain = `first_chain_${tag}`;
    const secondChain = `second_chain_${tag}`;
    for (const name of ['my_session', 'empty_one']) {
      await removeSession(page, name);
    }

    // The sidebar: `default` is always there, and selected.
    await page.sidebar.openTab(SIDEBAR_ID);
    const panel = sidebar(page);
    await expect(panel).toBeVisible();
    await attachScreenshot(page.sidebar.getTabLocator(SIDEBAR_ID), testInfo, 'sessions-tab');
    await expect(sessionButton(panel, 'default')).toBeVisible();
    await expect(sessionButton(panel, 'default')).toHaveAttribute('aria-current', 'true');
    await expect(panel.getByRole('list', { name: 'Sessions' }).getByRole('button').first()).toHaveAccessibleName('default');

    // The new-session form; an existing name is refused with the server's words.
    await createSession(panel, 'my_session');
    await expect(panel.getByText('No Runs', { exact: true })).toBeVisible();
    await panel.getByLabel('New session').fill('my_session');
    await panel.getByRole('button', { name: 'Create' }).click();
    await expect(panel.locator('.nbtrace-new-session [role="alert"]')).toHaveText(
      "A session named 'my_session' exists already"
    );
    await panel.getByLabel('New session').fill('');

    // A notebook records one chain to `default`, switches, records one to my_session.
    await page.notebook.createNew();
    await runCodeCell(
      page,
      0,
      ['import nbtrace', 'nbtrace.enable()', 'from langchain_core.runnables import RunnableLambda'].join(
        '\n'
      )
    );
    await runCodeCell(
      page,
      1,
      `RunnableLambda(str.upper, name="upper").with_config(run_name="${firstChain}").invoke("a")`
    );
    await runCodeCell(page, 2, 'nbtrace.set_tracing_callback_manager(session_name="my_session")');
    await runCodeCell(
      page,
      3,
      `RunnableLambda(str.lower, name="lower").with_config(run_name="${secondChain}").invoke("B")`
    );
    await expect(panel).toBeVisible();

    // my_session (still selected) fills in while the panel is open: exactly one trace.
    await expect(traceRows(panel, secondChain)).toHaveCount(1, { timeout: FIRST_RENDER_TIMEOUT });
    await expect(traceRows(panel)).toHaveCount(1);
    const second = traceRows(panel, secondChain);
    await expect(second.locator('.nbtrace-status')).toHaveText('ok');
    await expect(second).toContainText('1 run');
    await expect(panel.locator('.nbtrace-traces__count')).toHaveText('1 trace');
    await expect(sessionButton(panel, 'my_session')).toHaveAccessibleDescription(/^1 run\b/);

    // default holds the first chain, and not the second.
    await selectSession(panel, 'default');
    await expect(traceRows(panel, firstChain)).toHaveCount(1, { timeout: FIRST_RENDER_TIMEOUT });
    await expect(traceRows(panel, secondChain)).toHaveCount(0);
    await expect(traceRows(panel, firstChain).locator('.nbtrace-status')).toHaveText('ok');
    await attachScreenshot(panel, testInfo, 'sessions-default');

    await selectSession(panel, 'my_session');
    await expect(traceRows(panel, firstChain)).toHaveCount(0);
    await expect(traceRows(panel, secondChain)).toHaveCount(1);
    await attachScreenshot(panel, testInfo, 'sessions-my-session');

    // A new, empty session: the seed's "No Runs".
    await createSession(panel, 'empty_one');
    await expect(panel.getByText('No Runs', { exact: true })).toBeVisible();
    await expect(traceList(panel)).toHaveCount(0);
    await attachScreenshot(panel, testInfo, 'sessions-empty');

    // Deleting asks first; the selection falls back to default.
    await sessionButton(panel, 'empty_one').hover();
    await panel.getByRole('button', { name: 'Delete session empty_one' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Delete session “empty_one”?');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(sessionButton(panel, 'empty_one')).toHaveCount(0);
    await expect(sessionButton(panel, 'default')).toHaveAttribute('aria-current', 'true');

    // The same sidebar in the dark theme, for a human to look at.
    await selectSession(panel, 'my_session');
    await page.theme.setDarkTheme();
    await expect(traceRows(panel, secondChain)).toHaveCount(1);
    await attachScreenshot(panel, testInfo, 'sessions-dark');
  });

  test('the open-sessions command shows the sidebar', async ({ page }) => {
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbtrace:open-sessions');
    });
    await expect(sidebar(page)).toBeVisible();
    await expect(sessionButton(sidebar(page), 'default')).toBeVisible();
  });
});
