"""A collector process for tests/collectors/test_crash.py: runs the twitter source once,
killing itself with SIGKILL at the point named by argv[1] on the second page."""

import os
import signal
import sys

from collectors import poller, tagging
from collectors.sources import XSource
from store.settings import get_settings

tagging._tagger = lambda: None  # no model: cases stay untagged (and start-up stays fast)

point = sys.argv[1]
calls = {"n": 0}


def die_on_second(func):
    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return func(*args, **kwargs)
    return wrapper


if point == "after_fetch":  # the page is fetched and normalised, nothing written yet
    poller.store_batch = die_on_second(poller.store_batch)
elif point == "before_checkpoint":  # rows inserted in the open transaction, checkpoint not yet saved
    poller.Poller._checkpoint = staticmethod(die_on_second(poller.Poller._checkpoint))
elif point == "after_commit":  # rows and checkpoint committed, the run not yet closed
    original = XSource.batches

    def batches(self, snap, now):
        for batch in original(self, snap, now):
            yield batch
            calls["n"] += 1
            if calls["n"] == 2:
                os.kill(os.getpid(), signal.SIGKILL)
    XSource.batches = batches

summaries = poller.Poller([XSource("twitter", get_settings())]).run_once()
print(summaries[0].line())
