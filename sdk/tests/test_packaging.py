"""One wheel with everything a user needs, and npm metadata that `npm ci` accepts on a clean machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import REPO

PACKAGES = [REPO / "package.json", REPO / "ui-tests" / "package.json"]


@pytest.mark.parametrize("path", PACKAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_npm_override_names_a_direct_dependency(path) -> None:
    """npm refuses such a lockfile, and `npm ci` then says there is no lockfile at all."""
    package = json.loads(path.read_text())
    direct = set(package.get("dependencies", {})) | set(package.get("devDependencies", {}))
    assert not direct & set(package.get("overrides", {}))
    assert (path.parent / "package-lock.json").exists()


def test_one_version_source() -> None:
    import nbtrace

    assert nbtrace.__version__ == json.loads((REPO / "package.json").read_text())["version"]


@pytest.mark.skipif(
    not (REPO / "sdk" / "nbtrace" / "labextension" / "package.json").exists(), reason="the extension is not built"
)
def test_the_wheel_holds_the_package_the_lab_extension_and_the_server_extension(tmp_path) -> None:
    env = dict(os.environ, HATCH_JUPYTER_BUILDER_SKIP_NPM="1")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-w", str(tmp_path), "-q"],
        check=True, env=env, timeout=300,
    )
    (wheel,) = tmp_path.glob("nbtrace-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    data = "nbtrace-" + wheel.name.split("-")[1] + ".data/data/"
    assert "nbtrace/__init__.py" in names and "nbtrace/server/routes.py" in names
    assert data + "share/jupyter/labextensions/nbtrace/package.json" in names
    assert data + "share/jupyter/labextensions/nbtrace/install.json" in names
    assert any(n.startswith(data + "share/jupyter/labextensions/nbtrace/static/") for n in names)
    assert data + "etc/jupyter/jupyter_server_config.d/nbtrace.json" in names
    assert not any("/tests/" in n for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "nbtrace = nbtrace.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_jupyter_lists_both_extensions_enabled() -> None:
    lab = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120)
    server = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"], capture_output=True, text=True, timeout=120)
    assert any("nbtrace" in line and "enabled" in line for line in (lab.stdout + lab.stderr).splitlines())
    assert any("nbtrace.server" in line and "enabled" in line for line in (server.stdout + server.stderr).splitlines())
