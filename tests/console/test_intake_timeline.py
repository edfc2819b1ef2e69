"""The case page's timeline says what the router and the tagger did, in words: which agency
and why (category, probability ≥ threshold), and what a follow-up changed."""

from __future__ import annotations

from tests.collectors.test_follow_ups import HELLO, SEIZURE
from tests.collectors.test_routing_at_intake import GLAGAH, mention, only_case, store, tags
from tests.console.conftest import no_exception
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
PAGE = "console/case.py"


def test_the_timeline_shows_the_rise_the_new_category_and_the_routing(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    store([mention(HELLO, 1, "conv")], {HELLO: tags("lainnya", 0.45, "sedang")})
    store([mention(SEIZURE, 2, "conv", minutes=3)], {SEIZURE: tags("kesehatan", 0.95, "kritis", GLAGAH)})
    at = app(staff, PAGE, case=only_case()[0].id)
    no_exception(at)
    [timeline] = [df.value for df in at.dataframe if "Kejadian" in df.value.columns]
    rows = dict(zip(timeline["Kejadian"], timeline["Keterangan"], strict=True))
    assert rows["Urgensi naik (pesan lanjutan)"] == "Sedang → Kritis"
    assert rows["Kategori diubah (pesan lanjutan)"] == "Lainnya → Kesehatan"
    assert rows["Diteruskan otomatis ke dinas (kategori cukup yakin)"] == "DINKES · KEC_GLAGAH (Kesehatan 0.95 ≥ 0.8)"
    by = dict(zip(timeline["Kejadian"], timeline["Oleh"], strict=True))
    assert by["Urgensi naik (pesan lanjutan)"] == "system:tagger"
    assert by["Diteruskan otomatis ke dinas (kategori cukup yakin)"] == "system:router"
