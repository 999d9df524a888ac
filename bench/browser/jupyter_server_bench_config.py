"""Jupyter server configuration of the browser benchmarks (bench/browser/).

Started by ``lib.mjs`` on port 8899 (never 8888, which the UI tests use), with
``--ServerApp.root_dir`` and ``NBTRACE_DB`` pointing into a throwaway directory
that the benchmark scripts remove when they stop the server.

Never use this configuration for a real server: it turns off authentication.
"""

import os

c = get_config()  # noqa: F821 (provided by the config loader)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = 8899
c.ServerApp.port_retries = 0  # fail rather than silently pick another port
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True  # containers, CI
c.IdentityProvider.token = ""
c.ServerApp.password = ""
c.ServerApp.disable_check_xsrf = True
c.LabApp.expose_app_in_browser = True  # window.jupyterapp drives the notebook
c.LabApp.extension_manager = "readonly"
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.ServerApp.log_level = "ERROR"
c.LabApp.log_level = "ERROR"

# Workspaces (the layout JupyterLab restores) go to the throwaway directory too.
_bench_dir = os.environ.get("NBTRACE_BENCH_DIR")
if _bench_dir:
    c.LabApp.workspaces_dir = os.path.join(_bench_dir, "workspaces")

# Kernels inherit this environment: keep the calling shell's tracing switches out,
# and never talk to a hosted LangSmith. NBTRACE_DB is set by lib.mjs.
for _name in (
    "LANGCHAIN_HANDLER",
    "LANGCHAIN_SESSION",
    "NBTRACE_TRACING",
    "LANGCHAIN_TRACING_V2",
    "LANGCHAIN_TRACING",
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
):
    os.environ.pop(_name, None)
