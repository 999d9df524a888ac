"""Prepared events become the same records wherever they are assembled, and a failed helper's open traces can be rebuilt."""

from __future__ import annotations

import json
import uuid

from nbtrace.pipeline import events as ev
from nbtrace.pipeline.assembly import RunAssembler, deliveries
from nbtrace.pipeline.assembly_line import OpenRunJournal

T0 = 1_764_633_600_000_000  # 2025-12-02T00:00:00Z in µs


def start(key: int, parent: int | None, t: int, name: str, view: int | None = 7) -> tuple:
    root = parent is None
    return (ev.START, key, parent, T0 + t, "chain", name, '{"q":1}', None, "{}", view if root else None, "default" if root else None)


def end(key: int, t: int) -> tuple:
    return (ev.END, key, T0 + t, '{"output":"ok"}', None, None, None, None, None, 0)


def token(key: int, t: int, text: str) -> tuple:
    return (ev.TOKEN, key, T0 + t, text, text)


def keys(count: int) -> list[int]:
    return [uuid.uuid4().int for _ in range(count)]


def test_a_rebuilt_assembler_goes_on_exactly_as_the_one_it_replaces() -> None:
    root, open_child, done, streamed, late = keys(5)
    before = [start(root, None, 0, "root"), start(done, root, 1, "done"), end(done, 2),
              start(open_child, root, 3, "open_child"), start(streamed, open_child, 4, "llm"), token(streamed, 5, "Hel")]
    after = [token(streamed, 6, "lo"), end(streamed, 7), start(late, open_child, 8, "late"), end(late, 9),
             end(open_child, 10), end(root, 11)]

    original = RunAssembler()
    original.apply(before, raise_it)
    journal = OpenRunJournal()
    journal.record(before)
    assert len(journal) == 3  # root, open_child and streamed: done has ended

    rebuilt = journal.rebuilt()
    expected = original.apply(after, raise_it)
    got = rebuilt.apply(after, raise_it)
    assert [(c.op, c.record) for c in got] == [(c.op, c.record) for c in expected]
    assert rebuilt.open_count == original.open_count == 0
    llm = next(c.record for c in got if c.record["name"] == "llm")
    assert [e["name"] for e in llm["events"]] == ["start", "new_token", "new_token", "end"]


def test_the_journal_forgets_every_run_once_it_has_ended() -> None:
    journal = OpenRunJournal()
    for _ in range(100):
        root, child = keys(2)
        journal.record([start(root, None, 0, "root"), start(child, root, 1, "child"), token(child, 2, "x"), end(child, 3), end(root, 4)])
    assert len(journal) == 0


def test_each_view_gets_its_runs_and_the_traces_it_started() -> None:
    first, second, child = keys(3)
    changes = RunAssembler().apply(
        [start(first, None, 0, "a", view=1), start(child, first, 1, "a.1"), start(second, None, 2, "b", view=2),
         end(child, 3), start(uuid.uuid4().int, None, 4, "nowhere", view=None)],
        raise_it,
    )
    sent = {key: (traces, [e["run"]["name"] for e in events]) for key, traces, events in deliveries(changes)}
    assert sent == {1: ([changes[0].record["id"]], ["a", "a.1"]), 2: ([changes[2].record["id"]], ["b"])}
    assert "inputs" not in changes[0].wire() and changes[0].wire(lambda text: {"decoded": text})["run"]["inputs"] == {"decoded": '{"q":1}'}


def raise_it(error: Exception) -> None:
    raise error


def test_runs_open_when_their_process_ends_are_interrupted_keeping_what_they_streamed() -> None:
    root, llm, quiet = keys(3)
    assembler = RunAssembler()
    blocks = [{"type": "text", "text": " is"}]  # content blocks, as Anthropic's and OpenAI's Responses API stream
    assembler.apply([start(root, None, 0, "root"), start(llm, root, 1, "llm"), token(llm, 2, "The answer"),
                     (ev.TOKEN, llm, T0 + 3, " is", blocks), start(quiet, root, 4, "quiet")], raise_it)
    ends = {c.record["name"]: c.record for c in assembler.interrupt_open(T0 + 9)}
    assert set(ends) == {"root", "llm", "quiet"} and assembler.open_count == 0
    assert all(r["error"] == ev.INTERRUPTED and r["end_time"] == "2025-12-02T00:00:00.000009Z" for r in ends.values())
    assert json.loads(ends["llm"]["outputs"]) == {"generations": [[{"text": "The answer is", "type": "Generation"}]]}
    assert ends["quiet"]["outputs"] is None and ends["root"]["outputs"] is None
    assert assembler.interrupt_open(T0 + 10) == []
