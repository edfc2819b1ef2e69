"""Banyuwangi reference data: kecamatan, agencies (OPD) and the default category routing.

Kecamatan codes follow Kemendagri's regional codes (Kepmendagri 100.1.1-6117/2022,
kabupaten Banyuwangi = 35.10). Each kecamatan office is also an agency of kind
"kecamatan", so that it can be named as a supporting unit on a case.
"""

from __future__ import annotations

from sqlalchemy import inspect
from sqlmodel import Session, select

from store.tables import Agency, CategoryRoute, Kecamatan, TopicRoute

KECAMATAN = {
    "35.10.01": "Pesanggaran", "35.10.02": "Bangorejo", "35.10.03": "Purwoharjo",
    "35.10.04": "Tegaldlimo", "35.10.05": "Muncar", "35.10.06": "Cluring",
    "35.10.07": "Gambiran", "35.10.08": "Srono", "35.10.09": "Genteng",
    "35.10.10": "Glenmore", "35.10.11": "Kalibaru", "35.10.12": "Singojuruh",
    "35.10.13": "Rogojampi", "35.10.14": "Kabat", "35.10.15": "Glagah",
    "35.10.16": "Banyuwangi", "35.10.17": "Giri", "35.10.18": "Wongsorejo",
    "35.10.19": "Songgon", "35.10.20": "Sempu", "35.10.21": "Kalipuro",
    "35.10.22": "Siliragung", "35.10.23": "Tegalsari", "35.10.24": "Licin",
    "35.10.25": "Blimbingsari",
}

AGENCIES = {
    "DINKES": "Dinas Kesehatan",
    "DINSOS": "Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana",
    "DISPENDIK": "Dinas Pendidikan",
    "PUBM": "Dinas PU Bina Marga",
    "PUCK": "Dinas PU Cipta Karya, Perumahan dan Permukiman",
    "DLH": "Dinas Lingkungan Hidup",
    "BPBD": "Badan Penanggulangan Bencana Daerah",
    "DISPENDUKCAPIL": "Dinas Kependudukan dan Pencatatan Sipil",
    "SATPOLPP": "Satuan Polisi Pamong Praja",
    "DP3A": "DP3A / Banyuwangi Children Centre",
    "INSPEKTORAT": "Inspektorat",
    "DISKOMINFO": "Dinas Komunikasi, Informatika dan Persandian",
    "DISHUB": "Dinas Perhubungan",
    "DPMPTSP": "Dinas Penanaman Modal dan PTSP",
    "PDAM": "Perumda Air Minum (PDAM) Banyuwangi",
}
# Every other agency is a dinas. PDAM is a regional enterprise (BUMD); of the console's kinds
# (dinas, badan, kecamatan, bagian) "badan" is the nearest: a body that is not a dinas.
AGENCY_KINDS = {"BPBD": "badan", "PDAM": "badan"}

DEFAULT_ROUTES = {
    "kesehatan": "DINKES",
    "perlindungan_anak": "DP3A",
    "kemiskinan": "DINSOS",
    "pendidikan": "DISPENDIK",
    "infrastruktur": "PUBM",
    "lingkungan": "DLH",
    "bencana": "BPBD",
    "adminduk": "DISPENDUKCAPIL",
    "ketertiban": "SATPOLPP",
    "pelayanan_publik": "INSPEKTORAT",
    "lainnya": "DISKOMINFO",
}

# Finer routes inside a category, for the topics classifier.topics finds: topic →
# (category, lead agency, supporting unit). Piped water is PDAM's, with PU Cipta Karya for
# village water systems outside its network; street lights and traffic are the transport
# office's, not the roads office's; mental health (ODGJ) is the health office's, with the
# social office for care and shelter.
DEFAULT_TOPIC_ROUTES = {
    "air_bersih": ("infrastruktur", "PDAM", "PUCK"),
    "lampu_jalan": ("infrastruktur", "DISHUB", None),
    "lalu_lintas": ("infrastruktur", "DISHUB", None),
    "kesehatan_jiwa": ("kesehatan", "DINKES", "DINSOS"),
}


def kecamatan_agency_code(name: str) -> str:
    return "KEC_" + name.upper().replace(" ", "_")


def seed_reference_data(session: Session) -> None:
    """Insert what is missing; never overwrite what an admin has changed."""
    have_agencies = set(session.exec(select(Agency.code)).all())
    for code, name in AGENCIES.items():
        if code not in have_agencies:
            session.add(Agency(code=code, name=name, kind=AGENCY_KINDS.get(code, "dinas")))
    for name in KECAMATAN.values():
        code = kecamatan_agency_code(name)
        if code not in have_agencies:
            session.add(Agency(code=code, name=f"Kecamatan {name}", kind="kecamatan"))
    session.flush()
    have_kec = set(session.exec(select(Kecamatan.code)).all())
    for code, name in KECAMATAN.items():
        if code not in have_kec:
            session.add(Kecamatan(code=code, name=name, agency_code=kecamatan_agency_code(name)))
    have_routes = set(session.exec(select(CategoryRoute.category)).all())
    for category, agency in DEFAULT_ROUTES.items():
        if category not in have_routes:
            session.add(CategoryRoute(category=category, agency_code=agency))
    # A database upgraded only to a revision before topic routes (migration 0010) has
    # no table for them yet.
    if inspect(session.connection()).has_table("topicroute"):
        have_topics = set(session.exec(select(TopicRoute.topic)).all())
        for topic, (category, agency, support) in DEFAULT_TOPIC_ROUTES.items():
            if topic not in have_topics:
                session.add(TopicRoute(topic=topic, category=category, agency_code=agency,
                                       support_agency_code=support))
    session.flush()
