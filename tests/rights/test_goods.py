"""Goods and services kept per class with their edition: split from one text, read from
every import format, rewritten on edit, shown by class on the right's page and in the API.

The ST.96 fixture st96_madrid_wo.xml is shaped after real published files (named in it):
the USPTO's ST.96 status XML kept in codingatty/Plumage (one tmk:GoodsServices per class,
a second tmk:ClassDescription holding only a national status), CIPO's ST.96 data
(com:ClassificationVersion per class, com:languageCode) and WIPO's ST.96-to-ST.66 stylesheet
(tmk:DesignatedCountryBag/tmk:DesignatedCountry/com:DesignatedCountryCode).
"""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from anice.models import Right, RightGoods, Role
from anice.rights import editing, goods, importing, importing_xml
from anice.rights.matching.goods import GoodsPart, best_line, highlight, split_goods, terms

from .helpers import HEADER, csv_bytes
from .test_api import get
from .test_import_xml import design, st66, st86, trademark

FIXTURES = Path(__file__).parent / "fixtures"


def rows(db, number: str) -> list[tuple[int | None, str, str | None]]:
    right = db.scalar(select(Right).where(Right.number == number))
    return [(r.class_number, r.text, r.language) for r in db.scalars(
        select(RightGoods).where(RightGoods.right_id == right.id).order_by(RightGoods.id))]


def right(db, number: str) -> Right:
    return db.scalar(select(Right).where(Right.number == number))


# --- the pure core: no database -------------------------------------------------------

def test_a_list_is_cut_at_its_class_headings():
    assert split_goods("25: shoes, boots; 18: bags", [25, 18]) == [
        GoodsPart(25, "shoes, boots"), GoodsPart(18, "bags")]
    assert split_goods("Class 25: Clothing; footwear\nClass 18: Leather bags", []) == [
        GoodsPart(25, "Clothing; footwear"), GoodsPart(18, "Leather bags")]
    # no heading: one part, of the right's class when it has one only
    assert split_goods("Footwear; sports shoes", [25]) == [
        GoodsPart(25, "Footwear; sports shoes")]
    assert split_goods("shoes and bags", [25, 18]) == [GoodsPart(None, "shoes and bags")]
    # a number that is not one of the right's classes is no heading
    assert split_goods("Vitamin B12: tablets", [5]) == [GoodsPart(5, "Vitamin B12: tablets")]
    assert split_goods("Goods as listed.\n25: shoes", [25]) == [
        GoodsPart(None, "Goods as listed."), GoodsPart(25, "shoes")]
    assert split_goods("", [25]) == [] and split_goods(None) == []


def test_terms_and_the_goods_line_closest_to_a_listing():
    assert terms("Clothing (except gloves, hats), footwear; running shoes") == [
        "Clothing (except gloves, hats)", "footwear", "running shoes"]
    parts = split_goods("25: Clothing; footwear; running shoes, sports footwear; "
                        "18: sports bags", [25, 18])
    found = best_line(parts, "NIKE Air Zoom RUNNING Shoes original")
    assert (found.class_number, found.term, found.words) == (25, "running shoes",
                                                             ["running", "shoe"])
    assert best_line(parts, "ไนกี้ ของแท้") is None  # no word in common
    # equal words: the preferred class wins, then the shorter term
    bags = best_line(parts, "sports", prefer={18})
    assert (bags.class_number, bags.term) == (18, "sports bags")
    assert best_line(parts, "sports").term == "sports bags"  # shorter than 'sports footwear'
    assert highlight("Running shoes", ["running", "shoe"]) == [
        ("Running", True), (" ", False), ("shoes", True)]


# --- every import format ----------------------------------------------------------------

def test_csv_goods_per_class_and_the_edition(db, make):
    header = HEADER + ",class_edition"
    data = csv_bytes(
        "MY,TM1,trademark,registered,ZORBAX,25;18,Z Co,,,2001-01-02,,,"
        '"25: running shoes, boots; 18: bags",NCL(12-2024)',
        "MY,TM2,trademark,registered,ZORBAX,25,Z Co,,,2001-01-02,,,Footwear; caps,12",
        "MY,TM3,trademark,registered,ZORBAX,25;18,Z Co,,,2001-01-02,,,shoes and bags,",
        header=header)
    importing.import_csv(db, None, data)
    db.commit()
    assert rows(db, "TM1") == [(25, "running shoes, boots", None), (18, "bags", None)]
    assert right(db, "TM1").goods == "25: running shoes, boots; 18: bags"  # kept whole
    assert right(db, "TM1").class_edition == "NCL(12-2024)"
    assert rows(db, "TM2") == [(25, "Footwear; caps", None)]
    assert rows(db, "TM3") == [(None, "shoes and bags", None)]
    assert right(db, "TM3").class_edition is None
    # re-importing changed goods replaces the rows; the file without the column still reads
    importing.import_csv(db, None, csv_bytes(
        "MY,TM2,trademark,registered,ZORBAX,25;18,Z Co,,,2001-01-02,,,25: caps; 18: wallets"))
    db.commit()
    assert rows(db, "TM2") == [(25, "caps", None), (18, "wallets", None)]
    result = importing.import_csv(db, None, csv_bytes(
        "MY,TM2,trademark,registered,ZORBAX,25;18,Z Co,,,2001-01-02,,,25: caps; 18: wallets"))
    db.commit()
    assert result.unchanged == 1 and len(rows(db, "TM2")) == 2
    # a change elsewhere (a new owner) keeps the rows as they are
    result = importing.import_csv(db, None, csv_bytes(
        "MY,TM2,trademark,registered,ZORBAX,25;18,Y Co,,,2001-01-02,,,25: caps; 18: wallets"))
    db.commit()
    assert result.updated == 1 and rows(db, "TM2") == [(25, "caps", None), (18, "wallets", None)]


def test_a_too_long_edition_is_named(db, make):
    data = csv_bytes("MY,TM9,trademark,registered,ZORBAX,25,Z Co,,,2001-01-02,,,shoes,"
                     + "x" * 41, header=HEADER + ",class_edition")
    result = importing.import_csv(db, None, data, mode="skip")
    assert [str(e) for e in result.errors] == [
        "line 2, class_edition: must be at most 40 characters (got 41)"]


def test_st66_goods_per_class_with_language_and_edition(db, make):
    edition = "<ClassificationKindCode>Nice</ClassificationKindCode>" \
              "<ClassificationVersion>11-2019</ClassificationVersion>"
    record = trademark("TM66").replace("<GoodsServices><ClassDescriptionDetails>",
                                       f"<GoodsServices>{edition}<ClassDescriptionDetails>")
    importing_xml.import_xml(db, None, io.BytesIO(st66(record)))
    db.commit()
    assert rows(db, "TM66") == [(25, "shoes", "en"), (18, "bags", "en")]
    assert right(db, "TM66").class_edition == "11-2019"
    assert right(db, "TM66").goods == "25: shoes\n18: bags"


def test_st86_product_indication_is_of_the_design_class(db, make):
    importing_xml.import_xml(db, None, io.BytesIO(st86(design("D7-0001"))))
    db.commit()
    assert rows(db, "D7-0001") == [(2, "Shoes", "en")]


def test_st96_madrid_fixture_goods_edition_and_designations(db, make):
    result = importing_xml.import_xml(
        db, None, io.BytesIO((FIXTURES / "st96_madrid_wo.xml").read_bytes()))
    db.commit()
    assert result.inserted == 2 and not result.errors
    wo = right(db, "1698765")
    assert wo.office == "WO" and wo.designation_list == ["MY", "VN"]  # US is no member
    assert wo.class_list == [25, 18] and wo.class_edition == "12-2024"
    assert rows(db, "1698765") == [
        (25, "Footwear; running shoes, sports shoes; clothing, namely, shirts and caps", "en"),
        (25, "Chaussures; chaussures de course, chaussures de sport; vêtements, à savoir "
             "chemises et casquettes", "fr"),
        (18, "Backpacks; sports bags; wallets", "en")]
    national = right(db, "TM2024012345")
    assert national.class_list == [9] and national.class_edition is None
    assert rows(db, "TM2024012345") == [(9, "Sunglasses; smartphone cases", None)]


def test_st96_design_fixture_keeps_the_locarno_edition(db, make):
    importing_xml.import_xml(db, None, io.BytesIO(
        (FIXTURES / "st96_designs_my.xml").read_bytes()), mode="skip")
    db.commit()
    assert right(db, "015000123-0001").class_edition == "14"
    assert rows(db, "015000123-0001") == [(2, "Shoes", "en")]


# --- edit, page, API --------------------------------------------------------------------

def test_an_edit_rewrites_the_rows(db, make):
    admin = make.officer(Role.ADMIN)
    mark = make.right(number="TM50", classes="25;18")
    assert rows(db, "TM50") == [(None, "goods", None)]
    editing.update_right(db, admin, mark.id, {"updated_at": mark.updated_at.isoformat(),
                                              "goods": "25: caps\n18: wallets",
                                              "class_edition": "NCL(12-2024)"})
    db.commit()
    assert rows(db, "TM50") == [(25, "caps", None), (18, "wallets", None)]
    assert right(db, "TM50").class_edition == "NCL(12-2024)"


def test_the_edit_form_sets_goods_per_class_and_the_edition(client, auth, db, make):
    mark = make.right(number="TM51", classes="25;18")
    auth.login(make.officer(Role.ADMIN))
    form = client.get(f"/rights/{mark.id}/edit").get_data(as_text=True)
    assert 'name="class_edition"' in form and "25: shoes, boots; 18: bags" in form
    data = {k: v for k, v in editing.form_values(db, mark).items() if k != "contacts"}
    data.update({"goods": "25: running shoes; 18: backpacks", "class_edition": "12-2024"})
    response = client.post(f"/rights/{mark.id}/edit", data=data)
    assert response.status_code == 302
    db.expire_all()
    assert rows(db, "TM51") == [(25, "running shoes", None), (18, "backpacks", None)]
    page = client.get(f"/rights/{mark.id}").get_data(as_text=True)
    assert "Nice classification, edition 12-2024" in page


def test_the_page_and_the_api_show_goods_by_class_with_the_edition(client, auth, db, make):
    importing_xml.import_xml(db, None, io.BytesIO(
        (FIXTURES / "st96_madrid_wo.xml").read_bytes()))
    db.commit()
    wo = right(db, "1698765")
    officer = make.officer(Role.INVESTIGATOR, country="TH")
    data = get(client, db, officer, f"/rights/{wo.id}").get_json()
    assert data["class_edition"] == "12-2024"
    assert [(g["class"], g["language"]) for g in data["goods_by_class"]] == [
        (25, "en"), (25, "fr"), (18, "en")]
    auth.login(officer)
    html = client.get(f"/rights/{wo.id}").get_data(as_text=True)
    assert "Nice classification, edition 12-2024" in html
    goods_section = html[html.index('id="goods-h"'):html.index('id="holder-h"')]
    assert goods_section.index("Class 25") < goods_section.index("running shoes") \
        < goods_section.index("Class 18") < goods_section.index("Backpacks")
    assert 'lang="fr"' in goods_section


def test_a_right_without_rows_is_cut_from_its_text(db, make):
    mark = make.right(number="TM60", classes="25")
    db.execute(RightGoods.__table__.delete())
    mark.goods = "25: running shoes; sports shoes"
    db.commit()
    assert goods.grouped(mark) == [(25, [GoodsPart(25, "running shoes; sports shoes")])]
    found = goods.goods_lines([mark], "running shoes cheap")
    assert found[mark.id].term == "running shoes"
