"""The package version (one source: package.json, via the build's version hook)."""

from __future__ import annotations

try:
    from ._version import __version__
except ImportError:  # running from a checkout that was never built
    try:
        from importlib.metadata import version

        __version__ = version("nbtrace")
    except Exception:
        __version__ = "0.0.0"

MODULE_VERSION_RANGE = "^" + __version__
