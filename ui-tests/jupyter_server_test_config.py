"""Jupyter server configuration for the nbtrace Galata (Playwright) UI tests.

Started by the ``webServer`` entry of ``playwright.config.js``::

    jupyter lab --config jupyter_server_test_config.py

Never use this configuration for a real server: it turns off authentication.
"""

import os
import tempfile

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # noqa: F821 (provided by the config loader)

configure_jupyter_server(c)

c.ServerApp.ip = "127.0.0.1"
# As root (containers, CI) ``jupyter lab`` refuses to start otherwise.
c.ServerApp.allow_root = True
c.LabApp.extension_manager = "readonly"
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# Keep the test report readable: Galata's clean-up alone logs dozens of 404
# warnings per test. Errors (a server that fails to start) still show.
c.ServerApp.log_level = "ERROR"
c.LabApp.log_level = "ERROR"

# Kernels inherit the server's environment. Record every trace of a test run to a
# throwaway store, never to the developer's own, and keep tracing switches of the
# calling shell out of the tests: each test turns tracing on itself.
_store_dir = tempfile.mkdtemp(prefix="nbtrace-ui-tests-")
os.environ["NBTRACE_DB"] = os.path.join(_store_dir, "traces.sqlite")
for _name in (
    "LANGCHAIN_HANDLER",
    "LANGCHAIN_SESSION",
    "NBTRACE_TRACING",
    # No test may talk to a hosted LangSmith.
    "LANGCHAIN_TRACING_V2",
    "LANGCHAIN_TRACING",
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
):
    os.environ.pop(_name, None)
