"""The base of the errors staff read.

Each carries its English message (what the CLI prints and the logs keep) and, for the ones a
console user can run into, a code plus the facts as fields, so the console can say the same
thing in the user's language, with times in WIB (console/i18n.py, keys "err.<code>").
"""

from __future__ import annotations


class ExplainedError(Exception):
    def __init__(self, message: str, code: str | None = None, **fields: object):
        super().__init__(message)
        self.code, self.fields = code, fields
