"""What the reply sender asks of a platform: post a reply, or find one posted before a crash.

Adapters (collectors/x_replies.py, facebook_replies.py, sms_replies.py) only talk to their
platform and turn its errors into the collectors' named errors (collectors/errors.py):
RateLimited (nothing was posted; come back at ``retry_at``), TemporarilyUnavailable (the
outcome is unknown: look before posting again), AuthFailed and ReplyRefused (for good).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from store.replies import Outgoing


@dataclass(frozen=True)
class Posted:
    platform_id: str
    at: datetime | None  # the platform's time of the post; None while an SMS waits in the modem's queue


class ReplyChannel(Protocol):
    def post(self, reply: Outgoing) -> Posted:
        """Post the reply (once: the sender looks first when the reply may be there already)."""
        ...

    def find(self, reply: Outgoing) -> Posted | None:
        """The reply on the platform if it was posted (by a sender that died before recording it)."""
        ...
