#!/usr/bin/env bash
# One command: set everything up, then open JupyterLab on the example notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
exec jupyter lab examples/agent_with_tracing.ipynb "$@"
