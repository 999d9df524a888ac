/**
 * Harness check: JupyterLab starts, a notebook opens with a working kernel, and
 * the nbtrace lab extension is installed and its plugins are activated.
 */
import { expect, test } from '@jupyterlab/galata';

import { EXTENSION_NAME, cellOutput, runCodeCell } from './helpers';

/** Registers the trace widget with the Jupyter widget manager. */
const WIDGET_PLUGIN = `${EXTENSION_NAME}:widget`;

test('JupyterLab loads the nbtrace extension', async ({ page }) => {
  const federated = await page.evaluate(() => {
    const script = document.getElementById('jupyter-config-data');
    const config = JSON.parse(script?.textContent ?? '{}');
    const extensions: { name: string }[] = config.federated_extensions ?? [];
    return extensions.map(extension => extension.name);
  });
  expect(federated, 'labextension installed (jupyter labextension list)').toContain(
    EXTENSION_NAME
  );

  const plugins = await page.evaluate(prefix => {
    const app = window.jupyterapp;
    return app
      .listPlugins()
      .filter(id => id.startsWith(prefix))
      .map(id => ({ id, activated: app.isPluginActivated(id) }));
  }, `${EXTENSION_NAME}:`);
  expect(plugins).toContainEqual({ id: WIDGET_PLUGIN, activated: true });
});

test('a new notebook runs code in a kernel that traces to a throwaway store', async ({
  page
}) => {
  await page.notebook.createNew();
  await runCodeCell(page, 0, 'import os\nprint(6 * 7, os.environ["NBTRACE_DB"])');
  await expect(await cellOutput(page, 0)).toHaveText(
    /^42 \/\S*\/nbtrace-ui-tests-[^/]+\/traces\.sqlite\s*$/
  );
});
