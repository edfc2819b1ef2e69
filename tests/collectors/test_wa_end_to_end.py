"""From a signed delivery to a tagged case: the webhook stores it, the worker's whatsapp job
(built from the settings like every job) ingests and tags it, and it is in the triage queue."""

from __future__ import annotations

from datetime import timedelta

import requests

from console.services import cases as case_service
from console.worker.jobs import build_jobs
from store.queries import CaseFilter
from tests.classifier.conftest import model_root, trained  # noqa: F401  (fixtures: one small trained model)
from tests.collectors.wa import APP_SECRET, VERIFY_TOKEN, body, delivery, signed_headers
from tests.collectors.wa_server import WebhookServer
from tests.frozen import AT_NOON_WIB, NOON_WIB

pytestmark = AT_NOON_WIB


def test_a_signed_whatsapp_text_becomes_a_tagged_case_in_the_inbox(db, trained, settings_env, make_user):  # noqa: F811 (the fixture imported above)
    settings = settings_env(whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
                            whatsapp_numbers='{"1122334455667": "bupati"}')
    text = "tolong pak, jalan di desa kemiren glagah berlubang besar, sudah ada motor jatuh"
    with WebhookServer(settings, db) as server:
        raw = body(delivery("text", wamid="wamid.e2e", at=NOON_WIB - timedelta(minutes=5), text=text))
        assert requests.post(server.url, data=raw, headers=signed_headers(raw), timeout=5).status_code == 200
        forged = body(delivery("text", wamid="wamid.forged", at=NOON_WIB - timedelta(minutes=4)))
        assert requests.post(server.url, data=forged, headers=signed_headers(forged, "not-the-secret"),
                             timeout=5).status_code == 403

    [job] = build_jobs(settings)
    result = job.run(NOON_WIB)
    assert (job.name, result.done, result.failed) == ("whatsapp", 1, 0)
    staff = make_user("ani")
    [row] = case_service.triage(staff, CaseFilter(platforms=["whatsapp"])).rows
    assert (row.platform, row.author, row.tagged_by) == ("whatsapp", "+6281234567890", "model")
    assert row.category is not None and row.urgency is not None


def test_no_whatsapp_job_without_the_webhook_settings(settings_env):
    assert build_jobs(settings_env()) == []
