"""WhatsApp chat exports in both phone languages, and replies joined to the case they answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from collectors.files import ImportFileError, ImportOptions, import_file
from store.db import read_session
from store.tables import Case, CaseEvent, Mention

# Android, Indonesian setting: DD/MM/YY HH.MM, the encryption notice, a multi-line message,
# media left out, a deleted message, and the chat owner (Humas Banyuwangi) answering.
CHAT_ID = """\
28/11/26 18.40 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, \
termasuk WhatsApp, yang dapat membaca atau mendengarkannya.
28/11/26 18.41 - +62 812-3456-7890: Selamat sore, lampu jalan di Jl. Gajah Mada mati
sejak 3 hari
mohon ditindaklanjuti
28/11/26 18.42 - +62 812-3456-7890: <Media tidak disertakan>
28/11/26 18.43 - +62 812-3456-7890: Pesan ini telah dihapus
28/11/26 19.05 - Humas Banyuwangi: Terima kasih, sudah kami teruskan ke Dinas PU
29/11/26 20.10 - +62 812-3456-7890: Sudah menyala, terima kasih
"""
# iPhone, English (US) setting: [M/D/YY, h:mm:ss AM/PM], a second sender.
CHAT_EN = """\
[11/20/26, 6:41:05\u202fPM] Budi Santoso: The bridge near Kalibaru is cracked
[11/20/26, 6:45:00\u202fPM] Ani: Same here, trucks still use it
\u200e[11/20/26, 6:46:10\u202fPM] Ani: \u200eimage omitted
[11/23/26, 7:02:00\u202fAM] Budi Santoso: Still cracked today
"""


def cases() -> list[Case]:
    with read_session() as s:
        return list(s.exec(select(Case).order_by(Case.id)).all())


def test_an_indonesian_phone_chat_imports_with_the_owner_as_responder(db, tmp_path):
    (tmp_path / "Chat WhatsApp dengan Warga.txt").write_text(CHAT_ID, encoding="utf-8")
    report = import_file(tmp_path / "Chat WhatsApp dengan Warga.txt",
                         options=ImportOptions(own="Humas Banyuwangi"))
    assert (report.read, report.imported, report.rejected, report.responses) == (4, 3, 0, 1)
    assert report.format == "WhatsApp chat" and report.date_formats == ["DD/MM/YYYY"]
    with read_session() as s:
        rows = s.exec(select(Mention).order_by(Mention.created_at)).all()
        assert [m.text for m in rows] == [
            "Selamat sore, lampu jalan di Jl. Gajah Mada mati\nsejak 3 hari\nmohon ditindaklanjuti",
            "[lampiran tanpa teks]", "Sudah menyala, terima kasih"]
        assert {(m.platform, m.author_id, m.thread_key) for m in rows} == {
            ("whatsapp", "+6281234567890", "wa:+6281234567890")}
        assert rows[0].created_at == datetime(2026, 11, 28, 11, 41, tzinfo=UTC)
        [response] = s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all()
        assert response.response_channel == "whatsapp"
        assert response.happened_at == datetime(2026, 11, 28, 12, 5, tzinfo=UTC)
    # the 24-hour rule: the last message came 25 h after the one before, so it opens a new case
    assert [c.mention_count for c in cases()] == [2, 1]


def test_an_english_iphone_chat_imports_each_sender_as_a_thread(db, tmp_path):
    (tmp_path / "WhatsApp Chat - Warga.txt").write_text(CHAT_EN, encoding="utf-8")
    report = import_file(tmp_path / "WhatsApp Chat - Warga.txt")
    assert (report.read, report.imported, report.rejected) == (4, 4, 0)
    assert report.date_formats == ["MM/DD/YYYY"]
    with read_session() as s:
        budi = s.exec(select(Mention).where(Mention.author_id == "Budi Santoso")
                      .order_by(Mention.created_at)).all()
    assert budi[0].created_at == datetime(2026, 11, 20, 11, 41, 5, tzinfo=UTC)  # 6:41:05 PM WIB
    assert budi[0].author_name == "Budi Santoso" and budi[0].thread_key == "wa:Budi Santoso"
    # Budi: two cases (60 h apart); Ani: one case with her text and her photo
    assert sorted(c.mention_count for c in cases()) == [1, 1, 2]


def test_a_chat_whose_dates_could_be_either_is_refused(db, tmp_path):
    (tmp_path / "chat.txt").write_text("01/02/26 09.00 - Budi: banjir\n03/02/26 10.00 - Budi: masih banjir\n")
    with pytest.raises(ImportFileError, match="could be day/month or month/day; say which with --date-format"):
        import_file(tmp_path / "chat.txt")
    report = import_file(tmp_path / "chat.txt", options=ImportOptions(date_format="DD/MM/YYYY"))
    assert report.imported == 2


def test_a_reply_joins_the_case_of_the_message_it_names_even_when_it_comes_first(db, tmp_path):
    rows = [  # the reply is on line 1, the report it answers on line 3, on another platform
        {"text": "sudah dua hari belum ada petugas", "created_at": "2026-11-20T10:00:00+07:00",
         "external_id": "r-2", "in_reply_to": "LPR-9"},
        {"text": "pohon tumbang di Glenmore", "created_at": "2026-11-20T07:00:00+07:00", "external_id": "x-1"},
        {"text": "jalan tertutup pohon tumbang", "created_at": "2026-11-20T08:00:00+07:00",
         "external_id": "LPR-9", "platform": "sms", "author": "081233334444"},
    ]
    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert import_file(tmp_path / "f.jsonl").imported == 3
    with read_session() as s:
        by_id = {m.external_id: m.case_id for m in s.exec(select(Mention)).all()}
    assert by_id["r-2"] == by_id["LPR-9"] != by_id["x-1"]
    # and a reply in a later file joins the stored case too
    (tmp_path / "g.jsonl").write_text(json.dumps({"text": "terima kasih sudah dibersihkan", "external_id": "r-3",
                                                  "created_at": "2026-11-21T08:00:00+07:00",
                                                  "in_reply_to": "r-2"}) + "\n")
    import_file(tmp_path / "g.jsonl")
    with read_session() as s:
        assert s.exec(select(Mention.case_id).where(Mention.external_id == "r-3")).one() == by_id["LPR-9"]


def test_facebook_rows_without_thread_key_join_by_the_post_in_their_permalink(db, tmp_path):
    (tmp_path / "fb.csv").write_text(
        "platform,external_id,text,created_at,permalink\n"
        "facebook,111_1,Saluran mampet di Giri,2026-11-20 08:00,https://www.facebook.com/pemkab/posts/111?comment_id=1\n"
        "facebook,111_2,Betul di depan SD,2026-11-20 09:00,https://www.facebook.com/pemkab/posts/111?comment_id=2\n"
        "facebook,222_1,Lain cerita,2026-11-20 09:00,https://www.facebook.com/pemkab/posts/222?comment_id=1\n")
    assert import_file(tmp_path / "fb.csv").imported == 3
    with read_session() as s:
        threads = {m.external_id: (m.thread_key, m.case_id) for m in s.exec(select(Mention)).all()}
    assert threads["111_1"] == (threads["111_2"][0], threads["111_2"][1])
    assert threads["111_1"][0] == "fb:111" and threads["222_1"][1] != threads["111_1"][1]


def test_in_a_group_chat_the_owner_answers_the_last_person_who_wrote(db, tmp_path):
    (tmp_path / "grup.txt").write_text(
        "20/11/26 08.00 - Budi: jalan rusak di Genteng\n"
        "20/11/26 08.05 - Ani: sampah menumpuk di Pasar Banyuwangi\n"
        "20/11/26 08.30 - Humas: Baik Bu Ani, kami teruskan ke DLH\n", encoding="utf-8")
    report = import_file(tmp_path / "grup.txt", options=ImportOptions(own="humas"))  # the name, any case
    assert (report.imported, report.responses) == (2, 1)
    with read_session() as s:
        [event] = s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all()
        ani = s.exec(select(Mention).where(Mention.author_id == "Ani")).one()
    assert event.case_id == ani.case_id


def test_the_owner_sending_the_same_words_to_two_people_in_one_minute_answers_both(db, tmp_path):
    # Imported chat messages have no platform id (theirs is a hash of the words and the
    # minute), so the two answers are two responses, one on each case.
    (tmp_path / "grup.txt").write_text(
        "20/11/26 08.00 - Budi: jalan rusak di Genteng\n"
        "20/11/26 08.30 - Humas: Baik, kami teruskan\n"
        "20/11/26 08.30 - Ani: sampah menumpuk di Pasar Banyuwangi\n"
        "20/11/26 08.30 - Humas: Baik, kami teruskan\n", encoding="utf-8")
    report = import_file(tmp_path / "grup.txt", options=ImportOptions(own="humas"))
    assert (report.imported, report.responses) == (2, 2)
    with read_session() as s:
        events = s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all()
    assert len({e.case_id for e in events}) == 2 and {e.external_ref for e in events} == {None}
    again = import_file(tmp_path / "grup.txt", options=ImportOptions(own="humas"))
    assert (again.imported, again.responses) == (0, 0)
