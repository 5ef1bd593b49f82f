"""Marks registered in the region's scripts are found by their Latin spelling and back, through
the matcher and through the registry (`match_service`)."""

import pytest

from anice.rights import importing, match_service
from anice.rights.matching import MarkIndex, Matcher
from anice.rights.matching.index import Query

MARKS = [
    ("nike:km", "ណៃគី"), ("pepsi:km", "ប៉េបស៊ី"), ("honda", "Honda"), ("samsung:my", "ဆမ်ဆောင်း"),
    ("toyota", "Toyota"), ("trungnguyen:vi", "Trung Nguyên"), ("kinhdo", "Kinh Do"),
    ("chanel:zh", "香奈兒"), ("nike:zh", "耐克"), ("uniqlo:ja", "ユニクロ"), ("adidas", "Adidas"),
    ("hyundai:ko", "현대"), ("starbucks", "Starbucks"), ("rolex:zh", "勞力士"),
    # neighbours in every script
    ("d1", "Nikon"), ("d2", "Hondo"), ("d3", "Toyo"), ("d4", "Pepsodent"), ("d5", "ไนกี้ลี"),
    ("d6", "Samsonite"), ("d7", "香港"), ("d8", "耐用"), ("d9", "ユニコ"), ("d10", "현미"),
    ("d11", "Starbuck Lane"), ("d12", "Trung Thành"), ("d13", "ហុងកុង"), ("d14", "ဟောင်ကောင်"),
    ("d15", "Hyun"), ("d16", "Uniq"), ("d17", "แฬูธู"), ("d18", "劳力宝石"),
]


@pytest.fixture(scope="module")
def matcher():
    index = MarkIndex()
    for mark_id, text in MARKS:
        index.add(mark_id, text, [25])
    return Matcher(index)


def best(matcher, query: str) -> str:
    return matcher.search(query)[0].mark_id


def among_first(matcher, query: str, n: int = 3) -> list:
    """A Latin text against a mark registered only in another script weighs less (a native
    mark romanises to many Latin strings by chance): a Latin neighbour may come first."""
    return [c.mark_id for c in matcher.search(query, limit=n)]


@pytest.mark.parametrize(("query", "mark_id"), [
    ("Nike", "nike:km"),  # the Latin spelling of a Khmer mark, next to Nikon
    ("NIKE original", "nike:km"),
    ("Pepsi", "pepsi:km"),
    ("Samsung", "samsung:my"),  # ... of a Burmese one, next to Samsonite
    ("Uniqlo", "uniqlo:ja"),  # ... of a katakana one, next to Uniq
    ("Hyundai", "hyundai:ko"),  # ... of a hangul one
])
def test_latin_spelling_finds_the_native_mark(matcher, query, mark_id):
    assert mark_id in among_first(matcher, query)


@pytest.mark.parametrize(("query", "mark_id"), [
    ("ហុងដា", "honda"),  # the Khmer spelling of a Latin mark, before Hondo and ហុងកុង
    ("តូយ៉ូតា", "toyota"),
    ("ណៃគី", "nike:km"),
])
def test_khmer(matcher, query, mark_id):
    assert best(matcher, query) == mark_id


@pytest.mark.parametrize(("query", "mark_id"), [
    ("ဆမ်ဆောင်း", "samsung:my"),
    ("ဆမ္ေဆာင္း", "samsung:my"),  # the same mark typed in Zawgyi
    ("တိုယိုတာ", "toyota"),
    ("ဟြန္ဒါ", "honda"),  # Zawgyi against a Latin mark
])
def test_myanmar(matcher, query, mark_id):
    assert best(matcher, query) == mark_id


@pytest.mark.parametrize(("query", "mark_id"), [
    ("Trung Nguyen", "trungnguyen:vi"), ("TRUNG NGUYÊN", "trungnguyen:vi"), ("Kinh Đô", "kinhdo"),
    ("Hon-đa", "honda"),
])
def test_vietnamese(matcher, query, mark_id):
    assert best(matcher, query) == mark_id


@pytest.mark.parametrize(("query", "mark_id"), [
    ("香奈儿", "chanel:zh"),  # simplified against the traditional mark
    ("香奈兒 正品", "chanel:zh"),
    ("奈克", "nike:zh"),  # one character changed, same sound
    ("劳力土", "rolex:zh"),  # ... of the same shape only: one edit among the characters
    ("ユニクロ", "uniqlo:ja"),
    ("アディダス", "adidas"),  # katakana against the Latin mark
    ("현대", "hyundai:ko"),
    ("스타벅스", "starbucks"),  # hangul against the Latin mark
])
def test_chinese_japanese_korean(matcher, query, mark_id):
    assert best(matcher, query) == mark_id


def test_chinese_characters_are_not_spelled_letter_by_letter(matcher):
    # 耐克 'naike' is no spelling of Nike, nor ណៃគី 'naiki' of 耐克
    scores = {c.mark_id: c.score for c in matcher.search("Nike")}
    assert scores["nike:km"] > scores["nike:zh"]
    found = {c.mark_id: c.score for c in matcher.search("耐克")}
    assert list(found)[0] == "nike:zh" and found["nike:km"] < 80


HEADER = ("office,number,type,status,mark_text,classes,owner,representative,contact_email,"
          "filing_date,registration_date,expiry_date,goods\n")
ROWS = [
    "KH,KH001,trademark,registered,ណៃគី,25,Nike Inc,,ip@nike.example,2015-01-01,,,",
    "MM,MM002,trademark,registered,ဆမ်ဆောင်း,9,Samsung,,ip@samsung.example,2016-01-01,,,",
    "VN,VN003,trademark,registered,Trung Nguyên,30,Trung Nguyen,,ip@tn.example,2012-01-01,,,",
    "SG,SG004,trademark,registered,香奈兒,3,Chanel,,ip@chanel.example,2010-01-01,,,",
    "TH,TH005,trademark,registered,ユニクロ,25,Uniqlo,,ip@uniqlo.example,2014-01-01,,,",
    "MY,MY006,trademark,registered,스타벅스,43,Starbucks,,ip@sb.example,2013-01-01,,,",
    "MY,MY007,trademark,registered,ADIDAS,25,adidas AG,,ip@adidas.example,2010-01-01,,,",
]


def test_registry_marks_in_the_region_s_scripts_are_matched(db, make, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    with open(path, "rb") as fh:
        result = importing.import_csv(db, None, fh, mode="skip")
    assert not result.errors, result.errors
    db.commit()
    for query, number in (("NIKE", "KH001"), ("Samsung", "MM002"), ("ဆမ္ေဆာင္း", "MM002"),
                          ("trung nguyen", "VN003"), ("香奈儿", "SG004"), ("UNIQLO", "TH005"),
                          ("Starbucks", "MY006"), ("アディダス", "MY007")):
        found = match_service.match(db, query)
        assert found and found[0].right.number == number, query


def test_reasons_name_the_script_read(matcher):
    assert "after transliterating Khmer script" in matcher.search("ហុងដា")[0].reasons[0]
    zawgyi = matcher.search("ဆမ္ေဆာင္း")[0].reasons[0]
    assert "reading Zawgyi-encoded Myanmar text as Unicode" in zawgyi
    assert "transliterating Chinese script" in matcher.search("香奈儿")[0].reasons[0]
    assert "transliterating Korean script" in matcher.search("스타벅스")[0].reasons[0]


def test_chinese_marks_are_also_compared_character_by_character(matcher):
    index = matcher.index
    entries = [index.entry_key[e] for e in range(len(index.entry_key))
               if index.mark_ids[index.entry_mark[e]] == "rolex:zh"]
    assert entries == ["laolishi", "劳力士"]  # pinyin, and the characters folded to simplified
    assert "劳力土" in Query.parse("劳力土 正品").keys  # the generic 正品 left out
    best_row = matcher.search("劳力土")[0]
    assert best_row.mark_id == "rolex:zh" and "67% similar" in best_row.reasons[0]
