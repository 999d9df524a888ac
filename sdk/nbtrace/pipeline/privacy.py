"""What of a run's content may leave the kernel: hiding and masking, applied in the worker.

Secret-looking keys are always masked, wherever content leaves the recorder
(``secret_keys``: the stores as they write, messages that carry payloads). On top of that,
``NBTRACE_HIDE_INPUTS`` / ``NBTRACE_HIDE_OUTPUTS`` (or ``configure``) replace
inputs / outputs entirely, and ``configure(mask=fn)`` rewrites every payload
(already plain JSON data) before it is stored or sent; while one is set, streamed
tokens carry no text (a mask cannot see what they split). A mask that raises hides
the payload rather than let it through.
"""

from __future__ import annotations

from typing import Any, Callable

from ..settings import env_flag
from .failures import report

HIDDEN_INPUTS = {"__nbtrace__": "hidden", "reason": "inputs are hidden by configuration"}
HIDDEN_OUTPUTS = {"__nbtrace__": "hidden", "reason": "outputs are hidden by configuration"}
MASK_FAILED = {"__nbtrace__": "hidden", "reason": "the mask function failed"}

class Privacy:
    def __init__(self) -> None:
        self.mask: Callable[[Any], Any] | None = None
        self.hide_inputs: bool | None = None  # None: follow the environment
        self.hide_outputs: bool | None = None
        self._env_inputs = False
        self._env_outputs = False
        self.read_environment()

    def read_environment(self) -> None:
        """Read NBTRACE_HIDE_INPUTS / NBTRACE_HIDE_OUTPUTS (the worker does it once per batch)."""
        self._env_inputs = env_flag("NBTRACE_HIDE_INPUTS") is True
        self._env_outputs = env_flag("NBTRACE_HIDE_OUTPUTS") is True

    def inputs_hidden(self) -> bool:
        return self.hide_inputs if self.hide_inputs is not None else self._env_inputs

    def outputs_hidden(self) -> bool:
        return self.hide_outputs if self.hide_outputs is not None else self._env_outputs

    def apply_mask(self, value: Any) -> Any:
        if self.mask is None or value is None:
            return value
        try:
            return self.mask(value)
        except Exception as error:
            report("the mask function passed to nbtrace.configure", error)
            return MASK_FAILED
