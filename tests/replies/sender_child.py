"""A worker process for tests/replies/test_crash.py: runs the reply job, killing itself with
SIGKILL at the point named by argv[1] (at the second reply's platform call, or when the
pass's outcomes are committed). Platform calls go one at a time, so what was posted before
the kill is known.

    sender_child.py POINT NOW_ISO [drain]

Points: before_call (claimed and committed, the platform not called), after_call (the
platform has the reply, nothing recorded), after_commit (recorded sent), none. ``drain``
runs passes until the outbox has nothing for this worker (two workers share it)."""

import os
import signal
import sys
from datetime import datetime

from collectors.reply_sender import ReplySender
from collectors.x_replies import XReplies
from console.worker.reply_job import ReplyJob
from store.settings import get_settings

point, now = sys.argv[1], datetime.fromisoformat(sys.argv[2])
calls = {"n": 0}


def die_on_second(nth: int = 2) -> None:
    calls["n"] += 1
    if calls["n"] == nth:
        os.kill(os.getpid(), signal.SIGKILL)


if point == "before_call":
    original_post = XReplies.post

    def post(self, reply):
        die_on_second()
        return original_post(self, reply)
    XReplies.post = post
elif point == "after_call":
    original_post = XReplies.post

    def post(self, reply):
        posted = original_post(self, reply)
        die_on_second()
        return posted
    XReplies.post = post
elif point == "after_commit":
    original_record = ReplySender._record_all

    def record_all(self, done, at):
        result = original_record(self, done, at)
        die_on_second(nth=1)
        return result
    ReplySender._record_all = record_all

parallel = 1 if point != "none" else 8
job = ReplyJob(get_settings(), ReplySender(get_settings(), batch=5, parallel=parallel))
while True:
    result = job.run(now)
    print(result.line(), flush=True)
    if "drain" not in sys.argv[3:] or not (result.done or result.failed or result.note):
        break
