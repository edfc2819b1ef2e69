"""The classifier's own data about each category and urgency: labels and definitions.

The ids themselves are defined in ``store.vocabulary`` (the one place); this module only
describes them, keyed by those ids, and a test checks both list the same ids in the same
order. The labelling guide (``classifier/data/LABELING.md``) is the long form of the
definitions below.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.vocabulary import CATEGORIES, URGENCIES


@dataclass(frozen=True)
class Label:
    id: str
    label_id: str  # Indonesian, shown in the console
    label_en: str
    definition: str


CATEGORY_LABELS: tuple[Label, ...] = (
    Label("kesehatan", "Kesehatan", "Health",
          "Illness, patients, hospitals and puskesmas, ambulances, BPJS health cover, outbreaks "
          "(DBD), malnutrition and stunting, disability care."),
    Label("perlindungan_anak", "Perlindungan Anak", "Child protection",
          "Violence, abuse, neglect or exploitation of children (and of women at home), child "
          "marriage, missing children, bullying."),
    Label("kemiskinan", "Kemiskinan & Bansos", "Poverty and social aid",
          "No food, uninhabitable houses, bansos / PKH / BLT not received or mis-targeted, "
          "destitute elderly, homeless people."),
    Label("pendidikan", "Pendidikan", "Education",
          "Schools, children who stopped going to school, school levies, scholarships, teachers, "
          "school buildings."),
    Label("infrastruktur", "Infrastruktur", "Infrastructure",
          "Roads and potholes, bridges, street lights, drainage, clean water (PDAM), power cuts, "
          "public transport facilities, traffic lights."),
    Label("lingkungan", "Lingkungan", "Environment",
          "Garbage and illegal dumping, pollution, trees and parks, dirty beaches, "
          "fish-processing waste."),
    Label("bencana", "Bencana", "Disaster",
          "Disasters and emergencies in progress or just over: flood, landslide, fire, strong "
          "wind, earthquake, high waves, Ijen or Raung activity, people trapped."),
    Label("adminduk", "Adminduk & Perizinan", "Civil registry and permits",
          "KTP-el, KK, birth and death certificates, NIK problems, business and building "
          "permits, queues at Dispendukcapil or the public service mall."),
    Label("ketertiban", "Ketertiban Umum", "Public order",
          "Theft, street racing, fights, drunkenness, noise, illegal parking attendants, illegal "
          "street vendors, gambling, illegal buildings."),
    Label("pelayanan_publik", "Pelayanan Publik", "Public service conduct",
          "Conduct of civil servants and bureaucracy: pungli by officials, rude or absent "
          "officials, slow village-office service, corruption reports, the regency's general "
          "websites and complaint channels."),
    Label("lainnya", "Lainnya", "Other",
          "Nothing for any agency to act on or answer: praise, thanks, greetings, news sharing, "
          "tourism promotion, political opinion, jokes, spam, ads, channel checks."),
)

URGENCY_LABELS: tuple[Label, ...] = (
    Label("kritis", "Kritis", "Critical",
          "Threat to life or safety now or imminent; action within the hour."),
    Label("tinggi", "Tinggi", "High",
          "Serious harm to a vulnerable person or to many people unless handled today."),
    Label("sedang", "Sedang", "Medium",
          "An ordinary complaint that needs handling but is not dangerous."),
    Label("rendah", "Rendah", "Low",
          "Nothing urgent or nothing to fix: questions, suggestions, praise, opinions, spam."),
)

HEADS: tuple[str, ...] = ("category", "urgency")
LABELS_BY_HEAD: dict[str, tuple[str, ...]] = {"category": CATEGORIES, "urgency": URGENCIES}

_BY_ID = {label.id: label for label in CATEGORY_LABELS + URGENCY_LABELS}


def label_of(label_id: str) -> Label:
    """The Label for a category or urgency id; KeyError names the unknown id."""
    try:
        return _BY_ID[label_id]
    except KeyError:
        raise KeyError(f"unknown category or urgency id {label_id!r}") from None


def _label_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("&", " ").lower().split())


_BY_NAME: dict[str, dict[str, str]] = {
    head: {_label_key(name): label.id
           for label in (CATEGORY_LABELS if head == "category" else URGENCY_LABELS)
           for name in (label.id, label.label_id, label.label_en)}
    for head in HEADS
}


def resolve(head: str, name: str) -> str:
    """The id of a category or urgency written as its id or its Indonesian (or English)
    label, in any case ("Perlindungan Anak", "perlindungan_anak", "Kemiskinan & Bansos").
    Never guessed: anything else raises KeyError naming the accepted names."""
    found = _BY_NAME[head].get(_label_key(name))
    if found is None:
        accepted = ", ".join(LABELS_BY_HEAD[head])
        raise KeyError(f"unknown {head} {name!r}; use one of {accepted} (or its Indonesian label)")
    return found
