"""Matching through the registry: the API, the batch CLI, the index kept up to date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anice.auth import tokens
from anice.rights import importing

HEADER = ("office,number,type,status,mark_text,classes,owner,representative,contact_email,"
          "filing_date,registration_date,expiry_date,goods\n")
ROWS = [
    "MY,TM1001,trademark,registered,ADIDAS,25;28,adidas AG,,ip@adidas.example,2010-01-01,,,",
    "TH,TM2002,trademark,registered,NIKE,25,Nike Inc,,ip@nike.example,2011-01-01,,,",
    "VN,TM3003,trademark,registered,NIKON,9,Nikon Corp,,ip@nikon.example,2012-01-01,,,",
    "MY,TM1002,trademark,expired,ROLEX,14,Rolex SA,,ip@rolex.example,2001-01-01,,,",
]


@pytest.fixture
def registry(db, make, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    with open(path, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    return path


def test_api_match_finds_disguised_marks_with_reasons(client, db, make, registry):
    officer = make.officer()
    _, raw = tokens.create_token(db, officer, "t", "read", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    found = client.get("/api/v1/rights/match?q=AD1DAS%20original&classes=25",
                       headers=headers).get_json()
    assert found[0]["number"] == "TM1001" and found[0]["reasons"]
    nike = client.get("/api/v1/rights/match?q=N1KE&classes=25", headers=headers).get_json()
    assert nike[0]["mark_text"] == "NIKE"
    expired = client.get("/api/v1/rights/match?q=ROLEX", headers=headers).get_json()
    assert "TM1002" not in [m["number"] for m in expired]
    with_inactive = client.get("/api/v1/rights/match?q=ROLEX&include_inactive=true",
                               headers=headers).get_json()
    assert with_inactive[0]["number"] == "TM1002"
    for query, field in (("", "q"), ("x" * 600, "q"), ("NIKE&classes=99", "classes"),
                         ("NIKE&limit=0", "limit")):
        bad = client.get(f"/api/v1/rights/match?q={query}", headers=headers)
        assert bad.status_code == 422 and bad.get_json()["field"] == field


def test_index_follows_the_registry(client, db, make, registry, tmp_path):
    officer = make.officer()
    _, raw = tokens.create_token(db, officer, "t", "read", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    before = client.get("/api/v1/rights/match?q=Gucci&limit=3", headers=headers).get_json()
    assert "TM9" not in [m["number"] for m in before]
    more = tmp_path / "more.csv"
    more.write_text(HEADER + "ID,TM9,trademark,registered,GUCCI,18;25,Gucci,,,2015-01-01,,,\n",
                    encoding="utf-8")
    with open(more, "rb") as fh:
        importing.import_csv(db, None, fh)
    db.commit()
    found = client.get("/api/v1/rights/match?q=Guccii%20bag&classes=18",
                       headers=headers).get_json()
    assert found[0]["number"] == "TM9"


def test_match_batch_cli(runner, db, registry, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text("\n".join(json.dumps(q) for q in (
        {"id": "a", "text": "Adidaz superstar sneakers", "classes": [25]},
        {"id": "b", "text": "nikon camera lens"},
        {"id": "c", "text": "NlKE air max"},
        {"id": "d", "text": "NIKE", "class": "9"})) + "\n", encoding="utf-8")
    result = runner.invoke(args=["rights", "match-batch", str(queries), "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.strip().splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c", "d"]
    assert {c["number"] for c in lines[3]["candidates"]} == {"TM3003"}  # class 9 only
    assert lines[0]["candidates"][0]["number"] == "TM1001"
    assert lines[1]["candidates"][0]["number"] == "TM3003"
    assert lines[2]["candidates"][0]["number"] == "TM2002"
    assert all(len(x["candidates"]) <= 3 for x in lines)
    assert set(lines[0]["candidates"][0]) == {"office", "number", "designations", "mark_text",
                                             "score", "reasons", "goods_match"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\nnot json\n', encoding="utf-8")
    failed = runner.invoke(args=["rights", "match-batch", str(bad)])
    assert failed.exit_code == 2 and "line 2" in failed.output
    assert Path(queries).exists()


def test_one_owner_of_an_identical_text_ahead_the_others_after(client, db, make, tmp_path):
    """Twelve owners of "MICHAEL LIM" would fill a page of ten before "MICHELIN" for
    "Michelim": one of them stays ahead, the others follow; one owner's registrations of its
    brand in several offices stay together."""
    rows = [f"MY,ML{i:02},trademark,registered,MICHAEL LIM,25,Michael Lim {i} Sdn Bhd,,,"
            "2015-01-01,,," for i in range(12)]
    rows += ["TH,MX1,trademark,registered,MICHELIN,12,Michelin SCA,,,2010-01-01,,,",
             "VN,MX2,trademark,registered,Michelin,12,MICHELIN  sca,,,2011-01-01,,,",
             "SG,MX3,trademark,registered,MICHELIN,12,Michelin SCA,,,2012-01-01,,,"]
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with open(path, "rb") as fh:
        importing.import_csv(db, None, fh)
    officer = make.officer()
    _, raw = tokens.create_token(db, officer, "t", "read", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}

    def numbers(query: str, limit: int) -> list[str]:
        found = client.get(f"/api/v1/rights/match?q={query}&limit={limit}", headers=headers)
        assert found.status_code == 200
        return [m["number"] for m in found.get_json()]

    page = numbers("Michelim", 5)
    assert len(page) == 5
    assert sum(n.startswith("ML") for n in page) == 2  # one ahead, one filling the page
    assert sorted(page[page.index("MX1"):][:3]) == ["MX1", "MX2", "MX3"]
    assert page[-1].startswith("ML")
    # the same text registered by one owner in three offices: all three first, together
    assert sorted(numbers("Michelin", 3)) == ["MX1", "MX2", "MX3"]
    # nothing is lost: a long page still holds every registration of the text
    assert len([n for n in numbers("Michelim", 30) if n.startswith("ML")]) == 12


def test_owners_are_read_only_for_texts_found_more_than_once():
    """Only a text found several times can put one owner ahead of another: the owners'
    lookup (a database read of every id asked) gets those ids, and the page is the same."""
    from anice.rights.matching.index import MarkIndex
    from anice.rights.matching.score import Matcher
    from anice.rights.shared_matcher import SharedMatcher

    index = MarkIndex()
    for i in range(3):
        index.add(f"ML{i}", "Michael Lim")
    index.add("MX1", "Michelin")
    index.add("MX2", "Michelina")
    owner_of = {"ML0": "a", "ML1": "b", "ML2": "b", "MX1": "m", "MX2": "n"}
    asked: list[list] = []

    def owners(ids: list) -> dict:
        asked.append(sorted(ids))
        return {i: owner_of[i] for i in ids}

    view = SharedMatcher(delta=Matcher(index))
    page = [c.mark_id for c in view.search("Michelim", limit=5, owners=owners)]
    assert asked == [["ML0", "ML1", "ML2"]]
    everyone = [c.mark_id for c in Matcher(index).search("Michelim", limit=5, owners=owner_of)]
    assert page == everyone and len(page) == 5
    assert [c.mark_id for c in view.search("Michelina", limit=2, owners=owners)][0] == "MX2"
    assert len(asked) == 1  # each text found once (Michelina, Michelin): nothing read
