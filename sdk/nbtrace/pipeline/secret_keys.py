"""Secret-looking keys (``api_key``, ``Authorization``, ``password``…) and masking their values.

Applied where run content leaves the recorder's memory: as a store writes it
(for SQLite, in its helper process, off the traced program's GIL) and in any
message that carries payloads. Standard library only, because that helper
runs with ``python -I -S`` and loads this file by its path.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from .json_text import compact_json

MASK = "***"

_SECRET_SUFFIXES = (
    "apikey",
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "cookie",
    "credential",
    "credentials",
    "privatekey",
    "secretkey",
    "accesskey",
)
_SECRET_EXACT = {"auth", "pwd", "bearer"}
_NON_ALNUM = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """``api_key``, ``OPENAI_API_KEY``, ``access-token``, ``Authorization``… but not ``max_tokens``."""
    norm = _NON_ALNUM.sub("", key.lower())
    return norm in _SECRET_EXACT or norm.endswith(_SECRET_SUFFIXES)


def may_hold_secret_keys(text: str) -> bool:
    """False when no secret key can be in this JSON text: every one contains one of these
    words (any case), and every object key is followed by ``":``."""
    if '":' not in text:
        return False
    lowered = text.lower()
    return (
        "key" in lowered or "token" in lowered or "secret" in lowered or "passw" in lowered or "auth" in lowered
        or "cookie" in lowered or "credential" in lowered or "pwd" in lowered or "bearer" in lowered
    )


def mask_secret_keys(value: Any) -> bool:
    """Replace, in place, the value of every secret key anywhere in this JSON data with
    ``MASK``; whether anything was masked. Walks containers only, so long strings that
    merely mention keys or tokens cost nothing."""
    masked = False
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            for key, child in item.items():
                if is_secret_key(key):
                    item[key] = MASK
                    masked = True
                elif type(child) is dict or type(child) is list:
                    stack.append(child)
        elif type(item) is list:
            stack.extend(child for child in item if type(child) is dict or type(child) is list)
    return masked


def masked_json(text: Any) -> Any:
    """This JSON text with its secret keys' values masked: the same text when there are
    none (or when it is not text)."""
    if not isinstance(text, str) or not may_hold_secret_keys(text):
        return text
    data = json.loads(text)
    if not mask_secret_keys(data):
        return text
    return compact_json(data)
