"""Fetches raw Graph API payloads of the Facebook Page through facebook-sdk; nothing else.

facebook-sdk 3.1.0 only accepts Graph versions up to 3.1 in its constructor (all long
expired), so the version is a setting assigned after construction; the base URL is the
module global ``facebook.FACEBOOK_GRAPH_URL``, read on every call. The rest of Tanggap
never sees facebook-sdk, so it can be swapped for another client here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import facebook
import requests

from collectors.errors import AuthFailed, CollectorError, RateLimited, TemporarilyUnavailable
from collectors.http import redirecting_session

GRAPH_ORIGIN = "https://graph.facebook.com"
RATE_LIMIT_CODES = {4, 17, 32, 613}
TRANSIENT_CODES = {1, 2}


class NotFound(CollectorError):
    """The object is gone (a deleted post) or not visible to the Page token (code 100)."""


def _raise_for_server_error(response: requests.Response, *args, **kwargs) -> None:
    # facebook-sdk reads any body as success unless it holds "error"; a 5xx HTML page
    # would surface as "Maintype was not text…" (or a KeyError without content-type).
    if response.status_code >= 500:
        raise TemporarilyUnavailable(f"Graph API {response.status_code}")


class FacebookAdapter:
    def __init__(self, page_token: str, graph_url: str = GRAPH_ORIGIN + "/", version: str = "v25.0",
                 timeout: float = 20.0):
        self.graph_url = graph_url if graph_url.endswith("/") else graph_url + "/"
        session = redirecting_session(requests.Session(), self.graph_url, self.graph_url, timeout)
        session.hooks["response"].append(_raise_for_server_error)
        self.graph = facebook.GraphAPI(access_token=page_token, timeout=timeout, session=session)
        self.graph.version = version  # after construction: see the module docstring

    @classmethod
    def from_settings(cls, settings) -> FacebookAdapter:
        return cls(settings.facebook_page_token.get_secret_value(), settings.facebook_graph_url,
                   settings.facebook_api_version, settings.http_timeout)

    def connection(self, node: str, edge: str, **params: Any) -> dict[str, Any]:
        """One page of ``/{node}/{edge}``."""
        facebook.FACEBOOK_GRAPH_URL = self.graph_url
        try:
            page = self.graph.get_connections(node, edge, **params)
        except facebook.GraphAPIError as exc:
            code = exc.code if isinstance(exc.code, int) else None
            if code == 190:
                raise AuthFailed(f"Graph error 190: {exc.message}") from exc
            if code in RATE_LIMIT_CODES:
                raise RateLimited(None, f"Graph error {code}") from exc
            if code in TRANSIENT_CODES:
                raise TemporarilyUnavailable(f"Graph error {code}: {exc.message}") from exc
            if code == 100:
                raise NotFound(f"Graph error 100 on {node}/{edge}: {exc.message}") from exc
            raise CollectorError(f"Graph API error {code}: {exc.message}") from exc
        except requests.Timeout as exc:
            raise TemporarilyUnavailable("Graph API timed out") from exc
        except requests.ConnectionError as exc:
            raise TemporarilyUnavailable(f"Graph API unreachable: {exc.__class__.__name__}") from exc
        except (ValueError, KeyError) as exc:  # a garbled JSON body, a response without content-type
            raise TemporarilyUnavailable(f"Graph API sent an unreadable response: {exc!r}") from exc
        if not isinstance(page, dict) or not isinstance(page.get("data", []), list):
            raise TemporarilyUnavailable("Graph API sent an unexpected body (no data list)")
        return page

    @staticmethod
    def next_params(page: dict[str, Any]) -> dict[str, Any] | None:
        """The query of ``paging.next`` as parameters for the next call, without the token
        (facebook-sdk adds it; the recorded pages carry a redacted one)."""
        link = (page.get("paging") or {}).get("next")
        if not isinstance(link, str) or not link:
            return None
        params = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(urlparse(link).query).items()}
        params.pop("access_token", None)
        return params
