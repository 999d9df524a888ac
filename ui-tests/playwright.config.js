/**
 * Playwright configuration of the nbtrace UI tests (Galata).
 *
 * The JupyterLab server comes from the project's Python venv: `../.venv` next to
 * this folder, or the venv named by NBTRACE_VENV. Debian's Chromium is used;
 * never run `playwright install`.
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const venv = process.env.NBTRACE_VENV
  ? path.resolve(process.env.NBTRACE_VENV)
  : path.resolve(__dirname, '..', '.venv');
const venvBin = path.join(venv, 'bin');

// Port 8888 is what `configure_jupyter_server` (jupyterlab.galata) listens on.
const serverURL = 'http://127.0.0.1:8888';

module.exports = {
  ...baseConfig,
  testDir: './tests',
  outputDir: './test-results',
  retries: 0,
  // A test starts a kernel and types its cells: more than Galata's 60 s default.
  timeout: 120 * 1000,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    baseURL: process.env.TARGET_URL ?? serverURL,
    launchOptions: {
      executablePath: process.env.NBTRACE_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    },
    // Video needs Playwright's own ffmpeg, which is not installed here.
    video: 'off',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure'
  },
  webServer: {
    command: 'jupyter lab --config jupyter_server_test_config.py',
    cwd: __dirname,
    url: `${serverURL}/lab`,
    env: {
      PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
      VIRTUAL_ENV: venv
    },
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    stderr: 'pipe'
  }
};
