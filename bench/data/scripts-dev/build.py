"""Write marks.csv, queries.jsonl and answers.jsonl of this set from brands.csv (deterministic).

    .venv/bin/python bench/data/scripts-dev/build.py
"""

import csv
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from anice.text.burmese import is_zawgyi  # noqa: E402
from anice.text.cjk import fold_han  # noqa: E402

HEADER = ("office,number,type,status,mark_text,classes,owner,representative,contact_email,"
          "filing_date,registration_date,expiry_date,goods").split(",")
NATIVE_OFFICE = {"khmer": "KH", "myanmar": "MM", "vietnamese": "VN", "lao": "LA"}
# a generic word sellers add, in the script's language: new (km), genuine (my, lo)
GENERIC = {"khmer": "ថ្មី", "myanmar": "အစစ်", "lao": "ແທ້"}
CLASSES = ("25", "9", "32", "14", "3", "18", "12", "30", "43")


def cjk_office(text: str) -> str:
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "TH"  # kana
    if any("\uac00" <= c <= "\ud7a3" for c in text):
        return "MY"  # hangul
    return "SG"


def strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def qid(text: str, n: int) -> str:
    return "s" + hashlib.sha256(f"{n}:{text}".encode()).hexdigest()[:9]


def ops_of(script: str, native: str, text: str, respelled: bool = False) -> list[str]:
    if script == "myanmar" and is_zawgyi(text):
        return ["native_script", "zawgyi"]
    if script == "vietnamese":
        return ["respelled", "with_diacritics"] if respelled else ["with_diacritics"]
    if script == "cjk" and fold_han(text) == fold_han(native) and text != native:
        return ["native_script", "traditional_simplified"]
    if script == "cjk" and " " in text:
        return ["native_script", "generic"]
    if script == "cjk" and len(text) == len(native) and text != native:
        return ["native_script", "one_character"]
    return ["native_script"]


def main() -> None:
    rows = list(csv.DictReader((HERE / "brands.csv").open(encoding="utf-8")))
    marks, queries, answers = [], [], []
    for n, row in enumerate(rows):
        script, native, latin = row["script"], row["native"], row["latin"]
        office = NATIVE_OFFICE.get(script) or cjk_office(native)
        expected = []
        year = 2008 + n % 14
        cls = f"{CLASSES[n % len(CLASSES)]};{CLASSES[(n + 3) % len(CLASSES)]}"
        texts = []
        if row["registered"] in ("native", "both"):
            texts.append((office, native))
        if row["registered"] in ("latin", "both"):
            texts.append(("VN" if script == "vietnamese" else "SG", latin))
        owner_tag = hashlib.sha256(row["brand"].encode()).hexdigest()[:8]
        for k, (off, text) in enumerate(texts):
            number = f"{off}{year}S{n:04d}{k}"
            marks.append({
                "office": off, "number": number, "type": "trademark", "status": "registered",
                "mark_text": text, "classes": cls, "owner": f"{row['brand']} Holdings",
                "representative": "", "contact_email": f"ip@{owner_tag}.example",
                "filing_date": f"{year}-02-01", "registration_date": f"{year + 1}-05-01",
                "expiry_date": f"{year + 11}-05-01", "goods": "goods of the listed classes"})
            expected.append([off, number])
        asked: dict[str, list[str]] = {}
        variants = [v.strip() for v in row["variants"].split("|") if v.strip()]
        # a Vietnamese spelling of a foreign brand (Hon-đa), not a Vietnamese brand
        respelled = script == "vietnamese" and strip_marks(native) != latin
        for text in dict.fromkeys([native, *variants]):
            asked.setdefault(text, ops_of(script, native, text, respelled))
        if script in GENERIC:
            asked.setdefault(f"{native} {GENERIC[script]}", ["native_script", "generic"])
        if script == "vietnamese":
            for text in [native, *variants]:
                ops = ["respelled", "without_diacritics"] if respelled else ["without_diacritics"]
                asked.setdefault(strip_marks(text), ops)
        elif row["registered"] == "native" and not (script == "cjk" and office == "SG"):
            # the Latin spelling of a mark registered only in the script (not for Chinese
            # names: they are not read letter by letter)
            asked.setdefault(latin, ["latin_for_native"])
        for text, ops in asked.items():
            if texts == [(office, text)] and ops == ["native_script"] and script == "vietnamese":
                continue
            q = qid(text, n)
            queries.append({"id": q, "text": text})
            answers.append({"id": q, "brand": row["brand"], "script": script,
                            "expected": expected, "ops": ops})
    with (HERE / "marks.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(marks)
    for name, items in (("queries.jsonl", queries), ("answers.jsonl", answers)):
        with (HERE / name).open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    print(f"{len(marks)} marks, {len(queries)} queries, {len({r['brand'] for r in rows})} brands")


if __name__ == "__main__":
    main()
