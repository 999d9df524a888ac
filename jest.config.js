const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// ESM packages jest must transform (the helper's list plus ours).
const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter-widgets/',
  '@jupyterlab/',
  '@lumino/',
  '@microsoft',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  reporters: ['default'],
  roots: ['<rootDir>/src'],
  testRegex: 'src/__tests__/.*\\.spec\\.tsx?$',
  modulePathIgnorePatterns: [
    '<rootDir>/sdk/nbtrace/labextension',
    '<rootDir>/lib',
    '<rootDir>/.venv',
    '<rootDir>/ui-tests'
  ],
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
