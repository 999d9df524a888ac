"""Drive a real ipykernel the way JupyterLab does, and collect what it publishes."""

from __future__ import annotations

import json
import queue
import textwrap
import time
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.manager import start_new_kernel

from nbtrace.comm.wire import IN_BUFFER


@dataclass
class CellResult:
    msg_id: str
    reply: dict[str, Any]
    iopub: list[dict[str, Any]] = field(default_factory=list)


class KernelSession:
    def __init__(self, env: dict[str, str]) -> None:
        self.manager, self.client = start_new_kernel(kernel_name="python3", env=env)
        self.all_iopub: list[dict[str, Any]] = []

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code: str, timeout: float = 60) -> CellResult:
        msg_id = self.client.execute(textwrap.dedent(code))
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=timeout)
        result = CellResult(msg_id, reply)
        self._drain_until_idle(msg_id, timeout)
        result.iopub = [m for m in self.all_iopub if m["parent_header"].get("msg_id") == msg_id]
        if reply["content"]["status"] != "ok":
            raise AssertionError("cell failed: " + "\n".join(reply["content"].get("traceback", [])))
        return result

    def _drain_until_idle(self, msg_id: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            self.all_iopub.append(msg)
            if (
                msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return
        raise TimeoutError("kernel did not go idle")

    def collect(self, seconds: float) -> None:
        """Keep reading iopub for a while (messages sent from nbtrace's worker thread)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.all_iopub.append(self.client.get_iopub_msg(timeout=0.1))
            except queue.Empty:
                pass

    def send_custom(self, comm_id: str, content: dict[str, Any]) -> None:
        msg = self.client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
        self.client.shell_channel.send(msg)

    # -- what a front end would see ------------------------------------------------
    def trace_models(self) -> list[str]:
        return [
            m["content"]["comm_id"]
            for m in self.all_iopub
            if m["msg_type"] == "comm_open" and m["content"]["data"].get("state", {}).get("_model_name") == "TraceModel"
        ]

    def runs_messages(self, comm_id: str) -> list[dict[str, Any]]:
        return [
            protocol_message(m)
            for m in self.all_iopub
            if m["msg_type"] == "comm_msg"
            and m["content"]["comm_id"] == comm_id
            and m["content"]["data"].get("method") == "custom"
        ]

    def runs_of(self, comm_id: str) -> dict[str, dict[str, Any]]:
        runs: dict[str, dict[str, Any]] = {}
        for message in self.runs_messages(comm_id):
            for event in message["events"]:
                runs.setdefault(event["run"]["id"], {}).update(event["run"])
        return runs


def protocol_message(comm_msg: dict[str, Any]) -> dict[str, Any]:
    """The protocol message a widget's custom message carries, in its one buffer (as
    ``nbtrace.comm.wire`` sends it)."""
    assert comm_msg["content"]["data"]["content"] == IN_BUFFER and len(comm_msg["buffers"]) == 1
    return json.loads(bytes(comm_msg["buffers"][0]))


def displayed_models(result: CellResult) -> list[str]:
    return [
        m["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for m in result.iopub
        if m["msg_type"] == "display_data" and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]
    ]
