"""Demo registry: the counterfeited brands of the demo cases, registered in several offices,
with look-alike marks of other owners. Loaded before the cases, whose items are matched
against it as they are added (the CaseItemsChanged subscriber)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Right, RightKind, RightName, RightStatus
from ..models.right import classes_text
from ..rights.case_matching import CATEGORY_CLASSES
from .data import PRODUCTS, RIGHT_HOLDERS

OFFICES = ("MY", "TH", "VN", "ID", "PH", "SG")
# Genuine marks of other owners that look like a counterfeited brand (the Nikon-next-to-Nike kind).
LOOK_ALIKES = [("NIKON", "Nikon Corporation", [9]), ("ADIDAS-LIKE", None, []),
               ("SONIA", "Sonia Cosmetics Sdn Bhd", [3]), ("CASIOPEA", "Casiopea Trading", [14]),
               ("ROLEXX", None, [])]
THAI = {"Nike": "ไนกี้", "Adidas": "อาดิดาส", "Samsung": "ซัมซุง", "Honda": "ฮอนด้า"}


def load_rights(db: Session) -> int:
    """Register the demo brands once; returns how many rights were added."""
    if db.scalar(select(Right.id).limit(1)) is not None:
        return 0
    brands: dict[str, set[int]] = {}
    for product in PRODUCTS:
        brands.setdefault(product.brand, set()).update(
            CATEGORY_CLASSES.get(product.category, []))
    added = 0
    for n, (brand, classes) in enumerate(sorted(brands.items())):
        owner, _origin = RIGHT_HOLDERS.get(brand, (f"{brand} owner", "US"))
        for k, office in enumerate(OFFICES[: 2 + n % 4]):
            right = Right(type=RightKind.TRADEMARK, office=office,
                          number=f"{office}-TM-{2000 + n:04d}-{k:02d}",
                          status=RightStatus.REGISTERED, mark_text=brand.upper(),
                          classes=classes_text(sorted(classes) or [25]), owner=owner,
                          contact_name="Brand protection team",
                          contact_email=f"enforcement@{brand.lower().replace(' ', '')}.example",
                          filing_date=date(2005 + n % 15, 1 + n % 12, 1),
                          identification_notes="Genuine goods carry a serialised hologram "
                                               "label; check the stitching and the box code.")
            if brand in THAI and office == "TH":
                right.names.append(RightName(text=THAI[brand], script="Thai"))
            db.add(right)
            added += 1
    for n, (mark, owner, classes) in enumerate(LOOK_ALIKES):
        if owner is None:
            continue
        db.add(Right(type=RightKind.TRADEMARK, office="MY", number=f"MY-TM-9{n:03d}",
                     status=RightStatus.REGISTERED, mark_text=mark,
                     classes=classes_text(classes), owner=owner))
        added += 1
    db.flush()
    return added

