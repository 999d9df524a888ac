#!/usr/bin/env bash
# One command: set everything up, then run every suite (pytest, jest, Galata) and print
# one closing line "N passed, N failed" summed over them. Exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh --tests || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$ROOT/.venv/bin:$PATH"
RESULTS="$ROOT/build/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0

echo; echo "== pytest (SDK, kernel, protocol)"
python -m pytest -q -p no:cacheprovider --timeout=300 --junitxml="$RESULTS/pytest.xml" || status=1

echo; echo "== jest (front-end models and components)"
npx jest --ci --json --outputFile="$RESULTS/jest.json" || status=1

echo; echo "== Galata (real JupyterLab in headless Chromium)"
(cd ui-tests && PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/galata.json" CI=1 npx playwright test --reporter=list,json) || status=1

python scripts/summarize_tests.py "$RESULTS" || status=1
exit $status
