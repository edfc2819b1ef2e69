"""What a background job is: a name, an interval and one pass that can be run again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass
class JobResult:
    job: str
    done: int = 0  # items handled in this pass (replies sent, alerts delivered, …)
    failed: int = 0
    note: str = ""

    def line(self) -> str:
        text = f"{self.job}: done {self.done}, failed {self.failed}"
        return f"{text} ({self.note})" if self.note else text


class Job(Protocol):
    name: str
    interval: float  # seconds between the start of one pass and the next

    def run(self, now: datetime) -> JobResult:
        """One pass. It must be safe to run again after a crash at any point in it."""
        ...
