"""Templates (shipped defaults, placeholders, admin-only changes, hostile case data) and the
checks on a reply's text (X's weighted length, personal data in public replies)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.services import cases as case_service
from console.services import replies, templates
from console.services.errors import BadInput, PermissionDenied, ServiceError
from console.services.reply_text import check, personal_data, x_weighted_length
from store.db import read_session
from store.tables import AdminEvent
from tests.replies.conftest import AT_DRAFT_TIME

pytestmark = AT_DRAFT_TIME

HOSTILE = '=HYPERLINK("http://evil.example","klik") <script>alert(1)</script> **tebal** 081234567890'


def test_four_indonesian_templates_are_shipped(make_user):
    rows = templates.list_templates(make_user("ani"))
    assert {r.name for r in rows} == {"diterima-diteruskan", "tim-menuju-lokasi", "selesai-mohon-konfirmasi",
                                      "bukan-kewenangan"}
    assert all(templates.PLACEHOLDER.search(r.text) for r in rows)


def test_a_template_is_filled_from_the_case_record_never_from_hostile_citizen_text(citizen_case, make_user):
    ani = make_user("ani")
    case = citizen_case(text=HOSTILE, author='=cmd|"/c calc"!A1', category="kesehatan")
    case_service.assign(ani, case.id, None, agency_code="DINKES")
    case_service.retag(ani, case.id, None, category="kesehatan", urgency="sedang", kecamatan_code="35.10.09")
    text, kind = templates.fill(ani, case.id, "diterima-diteruskan")
    assert text == (f"Terima kasih atas laporannya. Laporan Anda kami catat dengan nomor #{case.id} dan sudah kami "
                    "teruskan ke Dinas Kesehatan untuk ditindaklanjuti paling lambat 29/11/2026 22:41 WIB.")
    assert kind == "acknowledgement"
    for piece in ("=", "<", "*", "0812", "cmd"):
        assert piece not in text


@pytest.mark.parametrize("text", [
    "Halo {nama_warga}",  # a placeholder that is not one of the four
    "Halo {nomor_kasus.__class__}",  # str.format would reach attributes; refused before it is stored
    "Halo {0}",
])
def test_a_template_with_an_unknown_placeholder_is_refused(make_user, text):
    with pytest.raises(BadInput) as refused:
        templates.save_template(make_user("boss", "admin"), "coba", text)
    assert refused.value.code == "template_placeholder"


def test_only_admins_change_templates_and_each_change_is_audited(make_user):
    with pytest.raises(PermissionDenied):
        templates.save_template(make_user("ani"), "jalan-diperbaiki", "Jalan sudah diperbaiki ({nomor_kasus}).")
    boss = make_user("boss", "admin")
    templates.save_template(boss, "jalan-diperbaiki", "Jalan sudah diperbaiki ({nomor_kasus}).", "infrastruktur",
                            "handling")
    assert "jalan-diperbaiki" in {r.name for r in templates.list_templates(boss, "infrastruktur")}
    assert "jalan-diperbaiki" not in {r.name for r in templates.list_templates(boss, "kesehatan")}
    templates.remove_template(boss, "jalan-diperbaiki")
    with read_session() as session:
        audit = session.exec(select(AdminEvent.action, AdminEvent.target, AdminEvent.actor_label)).all()
    assert [tuple(a) for a in audit] == [("template_saved", "jalan-diperbaiki", "boss"),
                                         ("template_removed", "jalan-diperbaiki", "boss")]


@pytest.mark.parametrize(("text", "length"), [
    ("a" * 280, 280),  # Latin letters weigh one
    ("日本語", 6),  # CJK weighs two
    ("👍", 2), ("👍🏽", 2), ("👨‍👩‍👧‍👦", 2), ("🇮🇩", 2),  # an emoji, with modifiers or joined, weighs two
    ("lihat https://banyuwangikab.go.id/berita/jalan-rusak-di-genteng-sudah-diperbaiki-2026", 29),  # URL = 23
    ("e\u0301", 1),  # normalised (NFC) first: é is one
    ("–’", 2),  # U+2013 and U+2019: general punctuation inside the light range 0x2010–0x201F
    ("…", 2),  # U+2026 is outside every light range: it weighs two
])
def test_x_length_is_weighted_as_twitter_text_v3(text, length):
    assert x_weighted_length(text) == length


def test_a_281_character_reply_to_x_is_refused_before_it_is_queued(platforms, citizen_case, make_user):
    case = citizen_case()
    assert check("a" * 281, "twitter", public=True).too_long
    with pytest.raises(ServiceError) as refused:
        replies.draft(make_user("ani"), case.id, "a" * 141 + "日" * 70)
    assert (refused.value.code, refused.value.fields) == ("reply_too_long", {"length": 281, "limit": 280})


@pytest.mark.parametrize(("text", "found"), [
    ("Silakan hubungi 0812-3456-7890", ("phone",)),
    ("NIK 3510 0101 0101 0001 sudah terdaftar", ("nik",)),
    ("Anak bernama Rina sudah dijemput", ("child_name",)),
    ("putri Ibu, Siti, aman", ("child_name",)),
    ("Bantuan Rp 1.500.000 cair besok", ()),  # money is no phone number
    ("Anak-anak sekolah diliburkan", ()),
])
def test_personal_data_in_a_public_reply_is_found(text, found):
    assert personal_data(text) == found


def test_a_public_reply_with_a_phone_number_waits_for_a_confirmation(platforms, citizen_case, make_user):
    ani, case = make_user("ani"), citizen_case()
    with pytest.raises(ServiceError) as warned:
        replies.draft(ani, case.id, "Hubungi petugas di 0812-3456-7890")
    assert warned.value.code == "reply_personal_data"
    assert replies.draft(ani, case.id, "Hubungi petugas di 0812-3456-7890", allow_personal=True).state == "approved"
    sms_case = citizen_case("sms", "sms-9", author="+6281299990000")  # an SMS is private: no warning
    assert replies.draft(ani, sms_case.id, "Hubungi petugas di 0812-3456-7890").state == "approved"


def test_a_template_gap_must_be_filled_before_sending(citizen_case, make_user):
    ani, case = make_user("ani"), citizen_case()
    text, _ = templates.fill(ani, case.id, "bukan-kewenangan")
    with pytest.raises(ServiceError) as refused:
        replies.draft(ani, case.id, text)
    assert refused.value.code == "reply_blank"
    assert replies.draft(ani, case.id, text.replace("___", "PLN UP3 Banyuwangi")).state == "approved"
