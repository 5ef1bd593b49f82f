"""The goods' classes in matching: a filter the user picks, a boost from what a case seized
or listed, and the goods line a candidate shares with it."""

from __future__ import annotations

import json

from sqlalchemy import select

from anice.cases import items
from anice.models import CaseMatch, Category
from anice.rights import case_matching, importing, match_service, nice
from anice.rights.matching import MarkIndex, Matcher

from ..cases.helpers import LISTING, SEIZURE, new_case
from .helpers import csv_bytes
from .test_api import get

ROWS = (
    'TH,TM25,trademark,registered,ZORBAX,25,Zorbax Sports,,ip@zorbax.example,2001-01-02,,,'
    '"25: Clothing; footwear; running shoes, sports shoes; caps"',
    'MY,TM09,trademark,registered,ZORBAX,9,Zorbax Electronics,,ip@zorbax-e.example,'
    '2001-01-02,,,"9: Mobile phones; chargers for mobile phones; earphones"',
)


def registry(db):
    importing.import_csv(db, None, csv_bytes(*ROWS))
    db.commit()


def test_the_index_filters_and_boosts_by_class():
    index = MarkIndex()
    index.add("shoes", ["ZORBAX"], [25])
    index.add("phones", ["ZORBAX"], [9])
    index.add("none", ["ZORBAX"], [])
    matcher = Matcher(index)
    assert [c.mark_id for c in matcher.search("zorbax", only_classes=[9])] == ["phones"]
    assert {c.mark_id for c in matcher.search("zorbax", only_classes=[9, 25])} == {
        "phones", "shoes"}
    assert matcher.search("zorbax", only_classes=[30]) == []
    assert matcher.search("zorbax", classes=[25])[0].mark_id == "shoes"
    assert matcher.search("zorbax", classes=[9])[0].mark_id == "phones"
    boosted = matcher.search("zorbax", classes=[9])
    # a mark without classes is neither raised nor lowered
    assert [c.mark_id for c in boosted] == ["phones", "none", "shoes"]


def test_likely_classes_come_from_the_category_or_the_words():
    assert nice.category_classes(Category.FOOTWEAR) == [25]
    assert nice.category_classes(Category.COSMETICS) == [3]
    assert nice.likely_classes(Category.OTHER, "Wireless earbuds and chargers") == [9]
    assert nice.word_classes("Nike running Shoes + leather Wallets") == [18, 25]
    assert nice.word_classes("ไนกี้") == []


def test_the_class_table_covers_every_category_with_nice_classes():
    for category in Category:
        classes = nice.category_classes(category)
        assert classes or category == Category.OTHER, category
        assert all(1 <= c <= 45 for c in classes)
    words = json.loads(nice.NICE_FILE.read_text(encoding="utf-8"))["words"]
    assert all(1 <= int(number) <= 45 for number in words)


def test_match_takes_a_class_filter_and_names_a_bad_one(client, db, make):
    registry(db)
    found = match_service.match(db, "ZORBAX", only_classes=[9])
    assert [m.right.number for m in found] == ["TM09"]
    officer = make.officer()
    answer = get(client, db, officer, "/rights/match?q=zorbax%20running%20shoes&class=25")
    assert answer.status_code == 200
    data = answer.get_json()
    assert [c["number"] for c in data] == ["TM25"]
    assert data[0]["goods_match"] == {"class": 25, "term": "running shoes",
                                      "words": ["running", "shoe"]}
    both = get(client, db, officer, "/rights/match?q=zorbax&class=25;9").get_json()
    assert {c["number"] for c in both} == {"TM25", "TM09"}
    assert all(c["goods_match"] is None for c in both)  # 'zorbax' is in no goods line
    bad = get(client, db, officer, "/rights/match?q=zorbax&class=46")
    assert bad.status_code == 422 and bad.get_json()["field"] == "class"


def test_a_seizure_category_ranks_its_class_first(db, make):
    registry(db)
    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Zorbax",
                                                 "category": "electronics",
                                                 "description": "Phone chargers"})
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Zorbax",
                                                 "category": "footwear",
                                                 "description": "Running shoes"})
    db.commit()
    case_matching.match_case(db, case)
    db.commit()
    first = {}
    for m in case_matching.matches_of(db, inv, case):
        first.setdefault(m.source, m)
    phones, shoes = (first[f"seizure:{s.id}"] for s in sorted(case.seizures, key=lambda s: s.id))
    assert phones.right.number == "TM09" and "class 9 agrees" in phones.reasons
    assert (phones.goods_class, phones.goods_term) == (9, "chargers for mobile phones")
    assert shoes.right.number == "TM25" and "class 25 agrees" in shoes.reasons
    assert (shoes.goods_class, shoes.goods_term) == (25, "running shoes")


def test_a_listing_shows_the_goods_line_that_matched(client, auth, db, make):
    registry(db)
    inv = make.officer()
    case = new_case(db, inv, kind="online")
    auth.login(inv)
    client.post(f"/cases/{case.id}/items/listing",
                data={**LISTING, "title": "ZORBAX running shoes sale", "seller_name": ""})
    rows = list(db.scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)
                           .order_by(CaseMatch.score.desc())))
    assert rows[0].right.number == "TM25"  # the title's words say class 25
    assert (rows[0].goods_class, rows[0].goods_term) == (25, "running shoes")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Class 25: <mark>running</mark> <mark>shoes</mark>" in page
    api = get(client, db, inv, f"/cases/{case.id}/matches").get_json()
    by_number = {m["number"]: m for m in api}
    assert by_number["TM25"]["goods_match"] == {"class": 25, "term": "running shoes",
                                                "words": ["running", "shoe"]}


def test_the_registry_filters_by_one_or_several_classes(client, auth, db, make):
    registry(db)
    auth.login(make.officer())
    one = client.get("/rights/?class=9;30").get_data(as_text=True)
    assert "TM09" in one and "TM25" not in one
    both = client.get("/rights/?class=9 25").get_data(as_text=True)
    assert "TM09" in both and "TM25" in both
    bad = client.get("/rights/?class=9;shoes")
    assert bad.status_code == 422 and "is not a class number" in bad.get_data(as_text=True)
    api = get(client, db, make.officer(), "/rights?class=25,18").get_json()
    assert [r["number"] for r in api["items"]] == ["TM25"]
