"""The time one message may take to read, so no email holds up the ones behind it.

Every stage of reading a message is linear and capped (parsing.py, html.py,
trimming.py, extract.py), so each step between two checks is bounded; the budget
bounds their sum. A message over it is stored as ``failed`` (reason
``too_slow``) for an editor to re-process, and the pipe and the poller move on.
Checked between stages and between MIME parts, never by a signal: reading is
pure Python, and a check is all it takes to stop it cleanly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings


class OverBudget(Exception):
    """Reading the message took longer than its budget allows."""

    def __init__(self, stage: str, seconds: float) -> None:
        super().__init__(f"still reading after {seconds:g} s (at {stage})")
        self.stage = stage


class Stopped(OverBudget):
    """The process was asked to stop (SIGTERM) while reading: the message stays
    stored and unacknowledged, and is read again by the next run."""

    def __init__(self, stage: str) -> None:
        Exception.__init__(self, f"asked to stop (at {stage})")
        self.stage = stage


@dataclass
class Budget:
    """A deadline for one message, EMAIL_SECONDS_PER_MESSAGE from now by default:
    far above what any real message needs (the largest corpus message, 4 MiB of
    attachments, reads in well under a second), far below what stalls a queue."""

    seconds: float | None = None
    clock: Callable[[], float] = time.monotonic
    # The poller's stop flag: Docker kills 10 s after SIGTERM, so a message
    # being read is left for the next run rather than finished.
    should_stop: Callable[[], bool] = lambda: False
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        if self.seconds is None:
            self.seconds = float(settings.EMAIL_SECONDS_PER_MESSAGE)
        self.deadline = self.clock() + self.seconds

    def check(self, stage: str) -> None:
        """Raise Stopped when asked to stop, OverBudget once the deadline passed."""
        if self.should_stop():
            raise Stopped(stage)
        if self.clock() > self.deadline:
            raise OverBudget(stage, self.seconds)
