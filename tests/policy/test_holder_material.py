"""The holder material filters in the access table (issue 18): a holder reads its own
guides and recordations on the rights it reaches (withdrawn ones too), officers of every
country those in force, anyone else nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from anice import policy
from anice.models import Guide, GuideRight, Recordation, RecordationAuthority, Role, utcnow


def test_visible_guides_and_recordations(db, make):
    right, other_right = make.right("MY", "HM000001"), make.right("TH", "HM000002")
    holder = make.holder(rights=(right,))
    other = make.holder(rights=(other_right,))
    inv_th = make.officer(Role.INVESTIGATOR, "TH")
    gone = make.officer(Role.INVESTIGATOR, "MY")
    gone.active = False
    rows = {}
    for name, org, r, withdrawn in (("own", holder, right, False),
                                    ("own_withdrawn", holder, right, True),
                                    ("other", other, other_right, False)):
        guide = Guide(org_id=org.holder_org_id, title=name, product="p",
                      withdrawn_at=utcnow() if withdrawn else None,
                      rights=[GuideRight(right_id=r.id)])
        rec = Recordation(org_id=org.holder_org_id, right_id=r.id, country_code="MY",
                          authority=RecordationAuthority.CUSTOMS, number=name,
                          valid_from=date(2025, 1, 1),
                          withdrawn_at=utcnow() if withdrawn else None)
        db.add_all([guide, rec])
        rows[name] = (guide, rec)
    db.commit()

    def seen(actor):
        guides = set(db.scalars(select(Guide.title).where(policy.visible_guides(actor))))
        recs = set(db.scalars(select(Recordation.number)
                              .where(policy.visible_recordations(actor))))
        assert guides == recs
        return guides

    assert seen(holder) == {"own", "own_withdrawn"}
    assert seen(other) == {"other"}
    assert seen(inv_th) == {"own", "other"}  # every country's, in force
    assert seen(gone) == set() and seen(None) == set()
