"""Demo registry: the counterfeited brands of the demo cases, registered in several offices,
with look-alike marks of other owners. Loaded before the cases, whose items are matched
against it as they are added (the CaseItemsChanged subscriber)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Right, RightGoods, RightKind, RightName, RightStatus
from ..models.right import classes_text
from ..rights import goods, nice
from .data import PRODUCTS, RIGHT_HOLDERS

OFFICES = ("MY", "TH", "VN", "ID", "PH", "SG")
# Genuine marks of other owners that look like a counterfeited brand (the Nikon-next-to-Nike kind).
LOOK_ALIKES = [("NIKON", "Nikon Corporation", [9]), ("ADIDAS-LIKE", None, []),
               ("SONIA", "Sonia Cosmetics Sdn Bhd", [3]), ("CASIOPEA", "Casiopea Trading", [14]),
               ("ROLEXX", None, [])]
# Goods per Nice class, worded as offices publish them (NCL 12-2024 terms).
GOODS = {
    3: "Cosmetics; perfumes; lipsticks; skin care preparations; shampoos",
    4: "Industrial oils and greases; lubricants; motor oil",
    5: "Pharmaceutical preparations; vitamin supplements; medicated creams",
    8: "Hand tools; razors; cutlery",
    9: "Mobile phones; smartphones; chargers for mobile phones; earphones; headphones; "
       "computer software; sunglasses",
    11: "Lighting apparatus; air conditioners; cooking appliances",
    12: "Motorcycles; brake pads for vehicles; spare parts for motor vehicles",
    14: "Watches; wristwatches; jewellery; bracelets",
    18: "Handbags; backpacks; wallets; travelling bags; leather goods",
    21: "Household utensils; drinking bottles; cookware",
    25: "Clothing; footwear; running shoes, sports shoes; T-shirts; caps",
    28: "Toys; games; sporting articles; balls for games",
    29: "Milk products; edible oils",
    30: "Coffee; tea; chocolate; biscuits",
    32: "Beers; fruit juices; soft drinks",
    33: "Alcoholic beverages, except beers; whisky",
    34: "Cigarettes; tobacco; lighters for smokers",
    41: "Entertainment services; providing online games",
}
EDITION = "12-2024"
THAI = {"Nike": "ไนกี้", "Adidas": "อาดิดาส", "Samsung": "ซัมซุง", "Honda": "ฮอนด้า"}


def load_rights(db: Session) -> int:
    """Register the demo brands once; returns how many rights were added."""
    if db.scalar(select(Right.id).limit(1)) is not None:
        return 0
    brands: dict[str, set[int]] = {}
    for product in PRODUCTS:
        brands.setdefault(product.brand, set()).update(
            nice.category_classes(product.category))
    added = 0
    for n, (brand, classes) in enumerate(sorted(brands.items())):
        owner, _origin = RIGHT_HOLDERS.get(brand, (f"{brand} owner", "US"))
        for k, office in enumerate(OFFICES[: 2 + n % 4]):
            numbers = sorted(classes) or [25]
            right = Right(type=RightKind.TRADEMARK, office=office,
                          number=f"{office}-TM-{2000 + n:04d}-{k:02d}",
                          status=RightStatus.REGISTERED, mark_text=brand.upper(),
                          classes=classes_text(numbers), owner=owner,
                          goods="\n".join(f"{c}: {GOODS[c]}" for c in numbers if c in GOODS),
                          class_edition=EDITION,
                          contact_name="Brand protection team",
                          contact_email=f"enforcement@{brand.lower().replace(' ', '')}.example",
                          filing_date=date(2005 + n % 15, 1 + n % 12, 1),
                          identification_notes="Genuine goods carry a serialised hologram "
                                               "label; check the stitching and the box code.")
            right.goods_rows.extend(RightGoods(class_number=p.class_number, text=p.text)
                                    for p in goods.parts_from_text(right.goods, right.classes))
            if brand in THAI and office == "TH":
                right.names.append(RightName(text=THAI[brand], script="Thai"))
            db.add(right)
            added += 1
    for n, (mark, owner, classes) in enumerate(LOOK_ALIKES):
        if owner is None:
            continue
        right = Right(type=RightKind.TRADEMARK, office="MY", number=f"MY-TM-9{n:03d}",
                      status=RightStatus.REGISTERED, mark_text=mark,
                      classes=classes_text(classes), owner=owner, class_edition=EDITION,
                      goods="\n".join(f"{c}: {GOODS[c]}" for c in classes if c in GOODS))
        right.goods_rows.extend(RightGoods(class_number=p.class_number, text=p.text)
                                for p in goods.parts_from_text(right.goods, right.classes))
        db.add(right)
        added += 1
    db.flush()
    return added

