"""The reply box and reply list on Detail Kasus, and the failed-reply mark in Kotak Masuk."""

from __future__ import annotations

from console.services import cases as case_service
from console.services import replies
from store.db import read_session
from store.tables import Case
from tests.collectors.fakes import Reply as Answer
from tests.console.conftest import no_exception, shown
from tests.replies.conftest import AT_DRAFT_TIME, TWEET, send
from tests.replies.platforms import POSTED_AT

pytestmark = AT_DRAFT_TIME
PAGE = "console/case.py"


def test_a_comms_officer_replies_on_the_case_page_and_sees_it_sent_as_the_first_response(
        app, platforms, citizen_case, make_user):
    x, _ = platforms
    ani, case = make_user("ani"), citizen_case()
    at = app(ani, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "Balasan dikirim ke X/Twitter")
    at.text_area(key=f"reply_text_{case.id}").input("Terima kasih, laporan sudah kami teruskan.").run()
    assert shown(at, "42/280 karakter (hitungan X)")
    at.button(key=f"reply_submit_{case.id}").click().run()
    no_exception(at)
    assert shown(at, "Dalam antrean")

    assert send().sent == 1
    at = app(ani, PAGE, case=case.id)
    assert shown(at, "Terkirim") and shown(at, "Tampil di platform: 29/11/2026 19:10 WIB")
    assert [p["text"] for p in x.replies_to(TWEET)] == ["Terima kasih, laporan sudah kami teruskan."]
    with read_session() as session:
        assert session.get(Case, case.id).first_response_at == POSTED_AT


def test_the_reply_box_warns_before_a_public_reply_with_a_phone_number(app, platforms, citizen_case, make_user):
    ani, case = make_user("ani"), citizen_case()
    at = app(ani, PAGE, case=case.id)
    at.text_area(key=f"reply_text_{case.id}").input("Silakan hubungi 0812-3456-7890").run()
    assert shown(at, "Perhatian, balasan publik ini memuat: nomor telepon.")
    at.button(key=f"reply_submit_{case.id}").click().run()
    assert shown(at, "Balasan publik ini memuat phone")  # refused until confirmed
    assert replies.case_replies(ani, case.id) == []
    at.checkbox(key=f"reply_allow_{case.id}").check().run()
    at.button(key=f"reply_submit_{case.id}").click().run()
    assert [r.state for r in replies.case_replies(ani, case.id)] == ["approved"]


def test_a_draft_is_approved_on_the_case_page(app, platforms, citizen_case, make_user):
    ani = make_user("ani")
    head = make_user("kadinkes", "kepala_dinas", agency="DINKES")
    case = citizen_case(category="kesehatan")
    case_service.assign(ani, case.id, None, agency_code="DINKES")
    view = replies.draft(head, case.id, "Puskesmas buka besok.")
    at = app(ani, PAGE, case=case.id)
    assert shown(at, "Menunggu persetujuan")
    at.button(key=f"reply_approve_{view.id}").click().run()
    no_exception(at)
    assert [r.state for r in replies.case_replies(ani, case.id)] == ["approved"]


def test_a_failed_reply_shows_its_words_and_is_marked_in_the_inbox(app, platforms, citizen_case, make_user):
    x, _ = platforms
    ani, case = make_user("ani"), citizen_case()
    replies.draft(ani, case.id, "Laporan diterima.")
    x.fail_next(Answer(403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                             "title": "Forbidden", "status": 403, "type": "about:blank"}))
    assert send().failed == 1
    at = app(ani, PAGE, case=case.id)
    assert shown(at, "Gagal: X menolak: teks yang sama sudah pernah dikirim.")
    inbox = app(ani, "console/triage.py")
    no_exception(inbox)
    frame = inbox.dataframe[0].value
    assert any("balasan gagal" in str(v) for v in frame.to_numpy().ravel())
