"""A collector process for the crash tests (test_crash.py, the Facebook comment scan in
test_facebook_window.py, the own timeline in test_own_posts_recovery.py): runs one source once
(argv[2]: twitter, the default, twitter-own or facebook), killing itself with SIGKILL at the
point named by argv[1] on the second batch. CRASH_CHILD_NOW, when set, is the poller's clock."""

import os
import signal
import sys
from datetime import datetime

from collectors import poller, tagging
from collectors.sources import FacebookSource, XSource
from store.settings import get_settings
from store.types import utcnow

tagging._tagger = lambda: None  # no model: cases stay untagged (and start-up stays fast)

point = sys.argv[1]
Source = FacebookSource if sys.argv[2:] == ["facebook"] else XSource
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
    original = Source.batches

    def batches(self, snap, now):
        for batch in original(self, snap, now):
            yield batch
            calls["n"] += 1
            if calls["n"] == 2:
                os.kill(os.getpid(), signal.SIGKILL)
    Source.batches = batches

fixed = os.environ.get("CRASH_CHILD_NOW")
clock = (lambda: datetime.fromisoformat(fixed)) if fixed else utcnow
name = sys.argv[2] if len(sys.argv) > 2 else "twitter"
source = FacebookSource(get_settings()) if Source is FacebookSource else XSource(name, get_settings())
summaries = poller.Poller([source], clock=clock).run_once()
print(summaries[0].line())
