"""A bulk import defers correlation to its end; a preview correlates nothing."""

from __future__ import annotations

from anice.cases import importing
from anice.models import IdentifierKind as K

from ..cases.test_import import SHOP, to_csv
from .helpers import SELLER, identifiers, notes_of, online_case


def test_imported_cases_are_correlated_at_the_end_of_the_import(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    rows = [{**SHOP, "case_key": f"shop-{i}", "seller_id": "watchking88",
             "url": f"https://shopee.com.my/product/{i}"} for i in range(3)]
    preview = importing.preview_import(db, w.inv_my, to_csv(*rows))
    assert preview.ok
    assert [r.case_id for r in identifiers(db)] == [r.case_id for r in identifiers(db, th_case.id)]
    cases = importing.commit_import(db, w.inv_my, to_csv(*rows))
    db.commit()
    assert len(cases) == 3
    for case in cases:
        assert (K.SELLER_ID, "shopee:watchking88") in {(r.kind, r.value)
                                                       for r in identifiers(db, case.id)}
    told = [n for n in notes_of(db, w.inv_th) if n.kind == "correlation.hit"]
    assert len(told) == 3 and all(c.reference not in n.message for n in told for c in cases)


def test_rebuild_recomputes_every_case(db, make, runner):
    from sqlalchemy import delete

    from anice.models import CaseIdentifier

    w = make.world()
    case = online_case(db, w.inv_th, SELLER)
    before = {(r.kind, r.value) for r in identifiers(db, case.id)}
    db.execute(delete(CaseIdentifier))
    db.commit()
    result = runner.invoke(args=["correlation", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "identifiers of 1 cases recomputed" in result.output
    assert {(r.kind, r.value) for r in identifiers(db, case.id)} == before
