"""The HTTP session the platform libraries send through: a configurable base URL (tweepy
hard-codes https://api.twitter.com) and a timeout on every request (tweepy sets none)."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter


class RedirectingAdapter(HTTPAdapter):
    """Sends requests addressed to ``origin`` to ``base`` instead (a proxy, or a local
    test server such as http://127.0.0.1:PORT), and applies a default timeout."""

    def __init__(self, origin: str, base: str, timeout: float):
        super().__init__()
        self.origin, self.base, self.timeout = origin.rstrip("/"), base.rstrip("/"), timeout

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if self.base != self.origin and request.url.startswith(self.origin):
            request.url = self.base + request.url[len(self.origin):]
        return super().send(request, stream=stream, timeout=timeout or self.timeout, verify=verify,
                            cert=cert, proxies=proxies)


def redirecting_session(session: requests.Session, origin: str, base: str, timeout: float) -> requests.Session:
    adapter = RedirectingAdapter(origin, base, timeout)
    session.mount(origin.rstrip("/"), adapter)  # the longest matching prefix wins
    if not base.startswith(origin.rstrip("/")):
        session.mount(base.rstrip("/"), RedirectingAdapter(base, base, timeout))
    return session
