"""A worker pass for tests/collectors/test_wa_crash.py that SIGKILLs itself after the messages
are written in its open transaction and before it commits (argv[1] == "kill"), or runs whole."""

import os
import signal
import sys

from collectors import tagging, wa_ingest

tagging._tagger = lambda: None  # no model: cases stay untagged (and start-up stays fast)

if sys.argv[1] == "kill":
    def die(*_args, **_kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    wa_ingest._keep_statuses = die  # runs after store_batch, inside the transaction

print(wa_ingest.ingest_pending(numbers={}).note())
