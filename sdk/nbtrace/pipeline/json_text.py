"""Compact JSON text with the standard library, for the modules the store's helper process
loads by path (``store/helper_process``), where orjson and the serializer are not imported."""

from __future__ import annotations

import json

compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
