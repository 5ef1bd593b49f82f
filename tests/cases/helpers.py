"""Builders for case tests."""

from __future__ import annotations

from datetime import date

from anice.cases import items, service, workflow
from anice.models import Case

COUNTERFEIT = {"kind": "counterfeit", "title": "Raid on Petaling Street warehouse",
               "summary": "Fake sports shoes and bags found in a warehouse.",
               "right_types": ["trademark"], "detection": "raid", "province": "Selangor",
               "city": "Petaling Jaya", "detected_on": "2026-10-02", "tags": "shoes, bags"}
ONLINE = {"kind": "online", "title": "Shopee seller of fake watches",
          "summary": "Replica watches offered online.", "right_types": ["trademark", "design"],
          "province": "Kuala Lumpur", "detected_on": "2026-09-15"}
SEIZURE = {"description": "Running shoes", "brand": "Nike", "category": "footwear",
           "quantity": "120", "unit": "pairs", "value_local": "6000", "currency": "MYR",
           "usd_rate": "0.22", "storage_place": "KPDN store room 3"}
LISTING = {"url": "https://shopee.com.my/product/123", "platform": "shopee",
           "seller_name": "Watch King", "seller_id": "watchking88",
           "title": "Rolex Submariner premium copy", "price": "350", "currency": "MYR",
           "seen_at": "2026-09-14T10:00:00+08:00"}
SUSPECT = {"role": "suspect", "kind": "person", "name": "Ah Seng", "nationality": "MY"}


def new_case(db, actor, **overrides) -> Case:
    data = {**(ONLINE if overrides.get("kind") == "online" else COUNTERFEIT), **overrides}
    case = service.create_case(db, actor, data)
    db.commit()
    return case


def opened_case(db, actor, **overrides) -> Case:
    case = new_case(db, actor, **overrides)
    if case.kind.value == "counterfeit":
        items.add_item(db, actor, case.id, "seizure", SEIZURE)
    else:
        items.add_item(db, actor, case.id, "listing", LISTING)
    db.commit()
    workflow.move_case(db, actor, case.id, "open", {"version": case.version})
    db.commit()
    return case


def today() -> date:
    return date.today()
