"""Turning tracing on and off, and which session a trace goes to."""

from __future__ import annotations

import pytest

import nbtrace
from nbtrace import settings


@pytest.mark.parametrize(
    ("env", "explicit", "expected"),
    [
        ({}, None, False),
        ({"LANGCHAIN_HANDLER": "langchain"}, None, True),
        ({"NBTRACE_TRACING": "true"}, None, True),
        ({"NBTRACE_TRACING": "1"}, None, True),
        ({}, True, True),
        ({"NBTRACE_TRACING": "true"}, False, False),
        ({"NBTRACE_TRACING": "false"}, True, False),
        ({"NBTRACE_TRACING": "false", "LANGCHAIN_HANDLER": "langchain"}, None, False),
        ({"LANGCHAIN_HANDLER": "something-else"}, None, False),
    ],
)
def test_when_tracing_is_on(clean_env, monkeypatch, env, explicit, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.set_enabled(explicit)
    assert settings.tracing_enabled() is expected


def test_every_change_to_the_environment_takes_effect_on_the_next_read(clean_env, monkeypatch) -> None:
    # Readings are kept until the variable changes: setting it again, even to the same text, or
    # unsetting it, is seen at once.
    monkeypatch.setenv("NBTRACE_TRACING", "true")
    assert settings.tracing_enabled() is True
    monkeypatch.setenv("NBTRACE_TRACING", "false")
    assert settings.tracing_enabled() is False
    monkeypatch.setenv("NBTRACE_TRACING", "false")
    assert settings.tracing_enabled() is False
    monkeypatch.delenv("NBTRACE_TRACING")
    monkeypatch.setenv("LANGCHAIN_HANDLER", "langchain")
    assert settings.tracing_enabled() is True
    monkeypatch.setenv("LANGCHAIN_SESSION", "  first ")
    assert settings.current_session() == "first"
    monkeypatch.setenv("LANGCHAIN_SESSION", "second")
    assert settings.current_session() == "second"
    monkeypatch.delenv("LANGCHAIN_SESSION")
    assert settings.current_session() == "default"


def test_session_precedence(clean_env, monkeypatch) -> None:
    assert settings.current_session() == "default"
    monkeypatch.setenv("LANGCHAIN_SESSION", "from_env")
    assert settings.current_session() == "from_env"
    nbtrace.set_tracing_callback_manager(session_name="my_session")
    assert settings.current_session() == "my_session"
    with nbtrace.session("scoped"):
        assert settings.current_session() == "scoped"
    assert settings.current_session() == "my_session"
    nbtrace.set_session(None)
    assert settings.current_session() == "from_env"


def test_set_tracing_callback_manager_also_turns_tracing_on(clean_env) -> None:
    assert not settings.tracing_enabled()
    nbtrace.set_tracing_callback_manager(session_name="my_session")
    assert settings.tracing_enabled()


@pytest.mark.parametrize("bad", ["", "   ", "a/b", "back\\slash", "x" * 201, "tab\there"])
def test_bad_session_names_are_refused_with_a_clear_error(clean_env, bad) -> None:
    with pytest.raises(ValueError):
        nbtrace.set_session(bad)
    assert settings.current_session() == "default"


def test_session_names_are_trimmed(clean_env) -> None:
    nbtrace.set_session("  spaced  ")
    assert settings.current_session() == "spaced"


def test_store_path_follows_nbtrace_db(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NBTRACE_DB", str(tmp_path / "x.sqlite"))
    assert settings.store_path() == str(tmp_path / "x.sqlite")
    monkeypatch.delenv("NBTRACE_DB")
    assert settings.store_path().endswith("nbtrace.sqlite")


def test_load_ext_turns_tracing_on(clean_env) -> None:
    nbtrace.load_ipython_extension(None)
    assert settings.tracing_enabled()
    nbtrace.unload_ipython_extension(None)
    assert not settings.tracing_enabled()


def test_recording_to_a_session_that_does_not_exist_creates_it_and_says_so_once(traced, monkeypatch, caplog) -> None:
    import logging

    from langchain_core.runnables import RunnableLambda

    caplog.set_level(logging.INFO, logger="nbtrace")
    monkeypatch.setenv("LANGCHAIN_SESSION", "brand_new")
    nbtrace.enable()
    for _ in range(3):
        RunnableLambda(str.upper, name="step").invoke("x")
    nbtrace.flush()
    said = [r.getMessage() for r in caplog.records if "did not exist" in r.getMessage()]
    assert said == ["nbtrace: session 'brand_new' did not exist, so it was created"]
    assert "brand_new" in [s["name"] for s in nbtrace.list_sessions()]
