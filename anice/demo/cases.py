"""A few hundred realistic demonstration cases, made through the case services.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same cases
(titles, goods, sellers, parties, workflow), only the dates move with today. Cases are
created, filled and moved by the demo officers through the service layer, so the
timeline, the audit chain and the search index are exactly what real use would leave.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..cases import (
    items,
    places,
    rates,
    service,
    workflow,
)
from ..models import (
    AgencyKind,
    Case,
    Officer,
    Role,
    UsdRate,
)
from . import DOMAIN, OFFICERS
from .data import (
    AGES,
    BORDERS,
    COMPANIES,
    COUNTRY,
    DECLARED,
    DEFAULT_DETECTIONS,
    DETECTIONS,
    FOREIGN,
    FULL,
    LIMITED,
    LOCAL_NOTES,
    MARKETS,
    NETWORK,
    NOTES,
    ONLINE_ONLY,
    ORIGINS,
    OUTCOME_NOTES,
    PEOPLE,
    PLATFORM_NAMES,
    PLATFORMS,
    PRODUCTS,
    PROSECUTION_NOTES,
    QUALIFIERS,
    REPRESENTATIVES,
    RIGHT_HOLDERS,
    SELLER_WORDS,
    SELLERS,
    Product,
)

BATCH = 25

@dataclass
class Desk:
    """An agency with investigators, and who there can take a case further."""

    country: str
    kind: AgencyKind
    investigators: list[Officer]
    supervisor: Officer | None
    prosecutor: Officer | None


def _desks(db: Session) -> list[Desk]:
    emails: dict[tuple[str, str], dict[Role, list[str]]] = {}
    for local, _name, role, country, code in OFFICERS:
        if code is not None:
            emails.setdefault((country, code), {}).setdefault(role, []).append(
                f"{local}@{DOMAIN}")
    found = {o.email: o for o in db.scalars(select(Officer).where(Officer.active.is_(True)))}
    desks = []
    for (country, _code), roles in emails.items():
        people = {r: [found[e] for e in es if e in found] for r, es in roles.items()}
        if not people.get(Role.INVESTIGATOR):
            continue
        first = people[Role.INVESTIGATOR][0]
        desks.append(Desk(country, first.agency.kind, people[Role.INVESTIGATOR],
                          (people.get(Role.SUPERVISOR) or [None])[0],
                          (people.get(Role.PROSECUTOR) or [None])[0]))
    return desks


def load_cases(db: Session, count: int = 300, seed: int = 2026,
               progress: Callable[[int], None] | None = None) -> int:
    """Create ``count`` demo cases; ``progress(n)`` is told of every ``n`` cases made.

    Needs the demo officers (anice.demo.load). Commits every few cases and at the end;
    the session's objects are detached after each commit.
    """
    if count <= 0:
        return 0
    if not db.scalar(select(func.count()).select_from(UsdRate)):
        rates.import_rates(db)
    desks = _desks(db)
    if not desks:
        raise RuntimeError("no demo investigators: load the demo accounts first")
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    made = 0
    for n in range(count):
        desk = desks[n % len(desks)] if n < len(desks) else rng.choice(desks)
        case_seed = rng.getrandbits(64)
        _Maker(db, desk, random.Random(case_seed), today).make()
        made += 1
        if progress:
            progress(1)
        if made % BATCH == 0 and made < count:
            db.commit()
            db.expunge_all()
            desks = _desks(db)
    db.commit()
    return made


def _choice(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _round(value: float, step: float) -> str:
    rounded = max(step, round(value / step) * step)
    return f"{rounded:.2f}" if step < 1 else str(int(rounded))


def _slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "item"


class _Maker:
    """One case, from its creation to the state its path leads to."""

    def __init__(self, db: Session, desk: Desk, rng: random.Random, today: date) -> None:
        self.db, self.desk, self.rng, self.today = db, desk, rng, today
        self.cc = desk.country
        self.local = COUNTRY[self.cc]
        self.investigator = rng.choice(desk.investigators)
        self.closer = desk.prosecutor or desk.supervisor
        self.moved_on: date | None = None

    # -- drawing helpers ---------------------------------------------------------

    def days(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, max(lo, hi))

    def money(self, usd: float, step_key: str = "unit") -> str:
        return _round(usd * self.local["per_usd"], self.local[step_key])

    def shown(self, amount: str) -> str:
        """An amount as written in a text: MYR 62.20, VND 210,000."""
        number = float(amount)
        text = f"{number:,.2f}" if "." in amount else f"{int(number):,}"
        return f"{self.currency} {text}"

    def mark(self, product: Product) -> str:
        """The mark as written on the goods: often the brand, sometimes a disguise."""
        return self.rng.choice(product.seen_as) if self.rng.random() < 0.3 else product.brand

    def product(self, online: bool, segment: str | None = None) -> Product:
        pool = [p for p in PRODUCTS if (online or p.segment not in ONLINE_ONLY)
                and (segment is None or p.segment == segment)]
        return self.rng.choice(pool or PRODUCTS)

    # -- the case ----------------------------------------------------------------

    def make(self) -> Case:
        rng = self.rng
        share = 0.85 if self.desk.kind == AgencyKind.CUSTOMS else 0.48
        self.kind = "counterfeit" if rng.random() < share else "online"
        self.path = _choice(rng, FULL if self.closer and self.desk.supervisor else LIMITED)
        self.detected = self.today - timedelta(days=self.days(*AGES[self.path]))
        self.detection = (_choice(rng, DETECTIONS.get(self.desk.kind, DEFAULT_DETECTIONS))
                          if self.kind == "counterfeit"
                          else _choice(rng, {"online_monitoring": 70, "complaint": 25, "": 5}))
        self.restricted = rng.random() < 0.07
        self.origin = rng.choice(ORIGINS)
        self.seller = self.pick_seller()
        segment = self.seller[4] if self.kind == "online" else None
        self.main = self.product(self.kind == "online", segment)
        self.holder = RIGHT_HOLDERS[self.main.brand]
        where = BORDERS if self.detection == "customs_detention" else MARKETS
        spots = [s for s in where[self.cc] if self.detection != "market_inspection"
                 or not s[2].startswith("a warehouse")]
        if rng.random() < 0.15 and self.detection != "customs_detention":
            province = rng.choice(places.provinces(self.cc))
            self.province, self.city = province, None
            premises = ("a market" if self.detection == "market_inspection"
                        else rng.choice(("a warehouse", "a shop")))
            self.place = f"{premises} in {province}"
        else:
            self.province, self.city, self.place = rng.choice(spots)
        self.qty = self.days(*self.main.qty)
        self.local_words = rng.random() < {"VN": 0.35, "TH": 0.2, "MY": 0.15}[self.cc]
        age = (self.today - self.detected).days
        self.court_on = (self.detected + timedelta(days=self.days(120, age + 45))
                         if self.path == "in_court" else
                         self.detected + timedelta(days=self.days(100, age - 3))
                         if self.path == "court_closed" else None)

        case = service.create_case(self.db, self.investigator, self.case_data())
        self.case = case
        if self.kind == "counterfeit":
            self.add_seizures()
            if self.detection == "online_monitoring":
                self.add_listings(1)
        else:
            self.add_listings(rng.choice((1, 1, 2, 2, 3, 4)))
            if rng.random() < 0.2:
                self.add_seizures(test_purchase=rng.random() < 0.6)
        if self.path == "draft":
            if rng.random() < 0.3:
                self.note(self.investigator)
            return case
        self.move(self.investigator if rng.random() < 0.8 or not self.desk.supervisor
                  else self.desk.supervisor, "open")
        self.add_owner_parties()
        suspects = self.path not in ("draft", "open", "under_investigation", "open_closed",
                                     "ui_closed") or rng.random() < 0.5
        if suspects:
            self.add_suspects()
        if rng.random() < 0.4:
            self.note(self.investigator)
        if self.path == "open":
            return case
        if self.path == "open_closed":
            return self.close(self.desk.supervisor, rng.choice(("no_further_action",
                                                                "transferred")))
        if self.desk.supervisor and rng.random() < 0.3:
            self.assign(self.desk.supervisor)
        self.move(self.investigator, "under_investigation")
        if rng.random() < 0.5:
            self.note(self.investigator)
        if self.path == "under_investigation":
            return case
        if self.path == "ui_closed":
            return self.close(self.desk.supervisor, _choice(
                rng, {"no_further_action": 5, "transferred": 3, "settled": 2}))
        if self.desk.prosecutor:
            self.assign(self.desk.prosecutor)
        self.move(self.closer, "prosecution",
                  charges=rng.choice(self.local["charges"]))
        if rng.random() < 0.5:
            self.note(self.closer, rng.choice(PROSECUTION_NOTES))
        if self.path == "prosecution":
            return case
        if self.path == "prosecution_closed":
            return self.close(self.closer, _choice(rng, {"settled": 6, "fined": 3,
                                                         "no_further_action": 1}))
        court_on = self.court_on
        court = rng.choice(self.local["court"])
        self.move(self.closer, "in_court", court_name=court, court_date=court_on,
                  court_reference=self.court_reference(court_on))
        if self.path == "in_court":
            return case
        outcome = _choice(rng, {"convicted": 45, "fined": 30, "acquitted": 15, "settled": 10})
        # A court's outcome is recorded after the hearing (the services refuse it before).
        decided = min(self.today, max(self.moved_on or court_on, court_on) + timedelta(days=14))
        case = self.close(self.closer, outcome, on=decided)
        if rng.random() < 0.06:
            reason = rng.choice(["New evidence: the same seller reappeared on TikTok Shop.",
                                 "Appeal by the public prosecutor allowed; retrial ordered."])
            self.move(self.desk.supervisor, "open", reason=reason)
        return case

    def case_data(self) -> dict[str, Any]:
        rng, p = self.rng, self.main
        tags = {p.segment, p.category.split("_")[0]}
        if self.detection == "customs_detention":
            tags.add("border")
        if (self.kind == "online" or self.detection == "online_monitoring") and \
                self.seller in SELLERS:
            tags.add("repeat-seller")
        if p.segment == "pharma" or p.category == "auto_parts":
            tags.add("health-safety")
        if self.restricted:
            tags.add("organised")
        rights = list(p.rights)
        if rng.random() < 0.1 and "patent" not in rights and p.segment == "electronics":
            rights.append("patent")
        data: dict[str, Any] = {
            "kind": self.kind, "title": self.title(), "summary": self.summary(),
            "right_types": rights, "province": self.province, "city": self.city,
            "detected_on": self.detected.isoformat(),
            "sensitivity": "restricted" if self.restricted else "normal",
            "tags": sorted(tags)}
        if self.detection:
            data["detection"] = self.detection
        if self.path == "draft" and rng.random() < 0.4:
            data.pop(rng.choice(("summary", "province", "right_types")))
        return data

    def title(self) -> str:
        rng, p, place = self.rng, self.main, self.place
        brand, what = p.brand, p.what
        seller = self.seller[0]
        platform = self.platform_label(self.first_platform())
        if self.local_words:
            if self.kind == "online":
                return {"VN": f"Bán hàng giả {brand} trên {platform} ({seller})",
                        "TH": f"ขายสินค้าปลอม {brand} on {platform}: {seller}",
                        "MY": f"Jualan barang tiruan {brand} di {platform} ({seller})"}[self.cc]
            return {"VN": f"Hàng giả nhãn hiệu {brand} tại {place}",
                    "TH": f"สินค้าปลอม (counterfeit) {brand} {what} at {place}",
                    "MY": {"customs_detention": f"Barang tiruan {brand} ditahan di {place}",
                           "raid": f"Serbuan barang tiruan {brand} di {place}"}.get(
                        self.detection, f"Barang tiruan {brand} di {place}")}[self.cc]
        if self.kind == "online":
            return rng.choice([
                f"{platform} seller '{seller}' offering {self.mark(p)} {what}",
                f"Replica {brand} {what} on {platform} ({seller})",
                f"Complaint by {self.holder[0]}: {brand} {what} on {platform}",
                f"{platform} live-stream sales of fake {brand} {what}"
                if platform == "TikTok Shop" else f"Fake {brand} {what} sold by {seller}",
            ])
        return {
            "customs_detention": rng.choice([
                f"Customs detention at {place}: {brand} {what}",
                f"{self.qty} {p.unit} of counterfeit {brand} {what} detained at {place}",
                f"Container from {self.origin} with fake {brand} {what}"]),
            "raid": rng.choice([f"Raid on {place}: counterfeit {brand} {what}",
                                f"Warehouse raid in {self.city or self.province}: fake "
                                f"{brand} {what}"]),
            "market_inspection": f"Market inspection at {place}: {self.mark(p)} {what}",
            "complaint": f"Complaint by {self.holder[0]}: fake {brand} {what} in "
                         f"{self.city or self.province}",
            "online_monitoring": f"Follow-up raid on online seller {seller}: {brand} {what}",
        }[self.detection]

    def summary(self) -> str:
        rng, p = self.rng, self.main
        mark = self.mark(p)
        marked = f"{p.what} bearing the mark '{mark}'" if mark != p.brand else \
            f"{p.what} bearing the {p.brand} mark"
        where = self.city or self.province
        if self.kind == "online":
            price = self.shown(self.money(rng.uniform(*p.usd) * 1.3))
            first = (f"Online monitoring found listings by '{self.seller[0]}' offering "
                     f"{marked} at {price} each, far below the retail price."
                     if self.detection != "complaint" else
                     f"{self.holder[0]} complained that '{self.seller[0]}' sells {marked} "
                     f"online at {price}.")
            rest = rng.sample([
                f"The seller advertises ready stock and ships from {where}.",
                "Takedown notices are being prepared for the platforms.",
                "The listings use the right holder's own product photos.",
                "Buyers' reviews complain about poor quality and missing warranty.",
                "Payment is asked by bank transfer or e-wallet outside the platform."], 2)
        else:
            first = {
                "customs_detention": f"A container declared as {rng.choice(DECLARED)} arriving "
                                     f"from {self.origin} was selected for inspection at "
                                     f"{self.place}. Officers found {self.qty} {p.unit} of "
                                     f"{marked}.",
                "raid": f"Acting on information received, officers raided {self.place} in "
                        f"{where} and found {self.qty} {p.unit} of {marked}.",
                "market_inspection": f"During a routine inspection of {self.place}, "
                                     f"{rng.randint(2, 9)} stalls were found displaying {marked}.",
                "complaint": f"{self.holder[0]} reported that {marked} were sold at "
                             f"{self.place} in {where}.",
                "online_monitoring": f"An online seller was traced to {self.place} in {where}, "
                                     f"where officers found {self.qty} {p.unit} of {marked}.",
            }[self.detection]
            rest = rng.sample([
                "Samples were sent to the right holder's representative for verification.",
                "The goods were sealed and moved to the agency store.",
                "The operator could not produce invoices for the stock.",
                f"Packaging and labels point to a supplier in {self.origin}.",
                "Price tags show the goods sold at about a fifth of the genuine price."], 2)
        local = ""
        if self.local_words:
            local = {"VN": " Hàng giả, hàng nhái (counterfeit and imitation goods); vụ việc "
                           "xâm phạm quyền sở hữu trí tuệ.",
                     "TH": " สินค้าปลอม / ละเมิดเครื่องหมายการค้า (counterfeit goods, trademark "
                           "infringement).",
                     "MY": " Barang tiruan (counterfeit goods) dirampas."}[self.cc]
        return " ".join([first, *rest]) + local

    @property
    def currency(self) -> str:
        return {"MY": "MYR", "TH": "THB", "VN": "VND"}[self.cc]

    # -- items -------------------------------------------------------------------

    def add_seizures(self, test_purchase: bool = False) -> None:
        rng = self.rng
        products = [self.main]
        if not test_purchase:
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                extra = self.product(False, self.main.segment if rng.random() < 0.6 else None)
                if extra not in products:
                    products.append(extra)
        disposal = None
        if self.path in ("court_closed", "prosecution_closed") and rng.random() < 0.7:
            after = self.court_on or self.detected + timedelta(days=self.days(30, 120))
            disposal = after + timedelta(days=self.days(7, 90))
            disposal = disposal if disposal <= self.today else None
        store = {"MY": "{agency} store, {city}", "TH": "{agency} evidence room, {city}",
                 "VN": "Kho tang vật {agency}, {city}"}[self.cc]
        for i, p in enumerate(products):
            qty = (rng.randint(1, 5) if test_purchase
                   else self.qty if i == 0 else self.days(*p.qty))
            mark = self.mark(p)
            what = p.what + (f" marked '{mark}'" if mark != p.brand else "")
            described = ("Test purchase: " + what) if test_purchase else what[0].upper() + what[1:]
            data = {"description": described,
                    "brand": mark, "category": p.category, "quantity": str(qty), "unit": p.unit,
                    "storage_place": store.format(agency=self.case.agency.code,
                                                  city=self.city or self.province)}
            if rng.random() < 0.9:
                data["value_local"] = _round(qty * rng.uniform(*p.usd) * self.local["per_usd"],
                                             self.local["unit"])
                data["currency"] = self.currency
            if disposal and self.rng.random() < 0.9:
                data.update(disposal=_choice(rng, {"destroyed": 8, "recycled": 1, "donated": 1})
                            if p.segment not in ("pharma", "consumer") else "destroyed",
                            disposal_on=disposal.isoformat())
            items.add_item(self.db, self.investigator, self.case.id, "seizure", data)

    def pick_seller(self) -> tuple:
        rng = self.rng
        shared = [s for s in SELLERS if self.cc in s[3]]
        if rng.random() < 0.4:
            return rng.choice(shared)
        first, middle, last = SELLER_WORDS[self.cc]
        name = f"{rng.choice(first)} {rng.choice(middle)} {rng.choice(last)}"
        ident = _slug(name).replace("-", rng.choice(("", "_", "."))) + str(rng.randint(1, 999))
        platforms = tuple(rng.sample(list(PLATFORMS[self.cc]), 2))
        return (name, ident, platforms, (self.cc,), None)

    def first_platform(self) -> str:
        if not hasattr(self, "_platforms"):
            preferred = self.seller[2]
            self._platforms = [self.rng.choice(preferred) if self.rng.random() < 0.8
                               else _choice(self.rng, PLATFORMS[self.cc]) for _ in range(4)]
        return self._platforms[0]

    @staticmethod
    def platform_label(platform: str) -> str:
        return PLATFORM_NAMES.get(platform, platform.replace("_", " ").title())

    def url(self, platform: str, title: str) -> str:
        rng, tld, seller = self.rng, self.local["tld"], self.seller[1]
        slug, num = _slug(title), rng.randint(10**9, 10**10 - 1)
        return {
            "shopee": f"https://shopee.{tld}/{slug}-i.{rng.randint(10**7, 10**9)}.{num}",
            "lazada": f"https://www.lazada.{tld}/products/{slug}-i{num}.html",
            "tiktok_shop": f"https://shop.tiktok.com/view/product/{num}{rng.randint(10**8, 10**9)}"
                           f"?region={self.cc}",
            "facebook": (f"https://www.facebook.com/marketplace/item/{num}{rng.randint(100, 999)}/"
                         if rng.random() < 0.5 else f"https://www.facebook.com/{seller}"),
            "instagram": f"https://www.instagram.com/{seller}/",
            "carousell": f"https://www.carousell.com.my/p/{slug}-{num}/",
            "telegram": f"https://t.me/{seller.replace('.', '_')}",
            "tokopedia": f"https://www.tokopedia.com/{seller.replace('.', '')}/{slug}",
            "zalora": f"https://www.zalora.com.my/p/{slug}-{num}",
            "website": f"https://{seller.replace('.', '-').replace('_', '-')}.shop/product/{slug}",
            "other": (f"https://shop.line.me/@{seller}/product/{num}" if self.cc == "TH"
                      else f"https://tiki.vn/{slug}-p{num}.html"),
        }[platform]

    def add_listings(self, count: int) -> None:
        rng = self.rng
        self.first_platform()
        for i in range(count):
            platform = self._platforms[i]
            p = self.main if i == 0 or rng.random() < 0.6 else self.product(True,
                                                                             self.main.segment)
            title = f"{self.mark(p)} {p.what} {rng.choice(QUALIFIERS[self.cc])}"
            seen_day = self.detected - timedelta(days=self.days(0, 6))
            seen = datetime(seen_day.year, seen_day.month, seen_day.day, rng.randint(8, 23),
                            rng.randint(0, 59), tzinfo=timezone(timedelta(
                                hours=self.local["utc"])))
            seen = min(seen, datetime.now(UTC) - timedelta(minutes=5))
            data = {"url": self.url(platform, title), "platform": platform,
                    "seller_name": self.seller[0], "seller_id": self.seller[1], "title": title,
                    "price": self.money(rng.uniform(*p.usd) * 1.3), "currency": self.currency,
                    "seen_at": seen.isoformat()}
            if self.path != "draft" and rng.random() < 0.75:
                requested = self.detected + timedelta(days=self.days(0, 7))
                if requested <= self.today:
                    result = _choice(rng, {"removed": 55, "partially_removed": 10, "refused": 8,
                                           "no_response": 12, "pending": 15})
                    data.update(takedown_requested_on=requested.isoformat(),
                                takedown_result=result)
                    done = requested + timedelta(days=self.days(1, 14))
                    if result in ("removed", "partially_removed"):
                        if done <= self.today:
                            data["takedown_done_on"] = done.isoformat()
                        else:
                            data["takedown_result"] = "pending"
            items.add_item(self.db, self.investigator, self.case.id, "listing", data)

    def add_owner_parties(self) -> None:
        rng = self.rng
        if rng.random() < 0.55:
            name, country = self.holder
            items.add_item(self.db, self.investigator, self.case.id, "party",
                           {"role": "right_holder", "kind": "company", "name": name,
                            "nationality": country})
        if rng.random() < 0.4:
            firms = REPRESENTATIVES[self.cc] + REPRESENTATIVES[""]
            firm = rng.choice(firms)
            items.add_item(self.db, self.investigator, self.case.id, "party",
                           {"role": "representative", "kind": "company", "name": firm,
                            "contact": f"ip-enforcement@{_slug(firm)[:30]}.example",
                            "notes": f"Acts for {self.holder[0]}."})

    def add_suspects(self) -> None:
        rng = self.rng
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            if rng.random() < 0.2:
                name, kind, nationality = rng.choice(NETWORK)
            elif rng.random() < 0.15:
                nationality = rng.choice(FOREIGN[self.cc])
                kind = "person"
                name = rng.choice(PEOPLE[nationality])
            elif rng.random() < 0.2:
                nationality, kind = self.cc, "company"
                name = rng.choice(COMPANIES[self.cc])
            else:
                nationality, kind = self.cc, "person"
                name = rng.choice(PEOPLE[self.cc])
            if any(p.name == name for p in self.case.parties):
                continue
            data = {"role": "suspect", "kind": kind, "name": name, "nationality": nationality,
                    "id_number": self.id_number(kind, nationality)}
            if self.kind == "online" or rng.random() < 0.2:
                data["notes"] = f"Operates the seller account '{self.seller[1]}'."
            items.add_item(self.db, self.investigator, self.case.id, "party", data)

    def id_number(self, kind: str, nationality: str) -> str:
        r = self.rng.randint
        if kind == "company":
            return {"MY": f"20{r(10, 24)}01{r(100000, 999999)}", "TH": f"0105{r(10**8, 10**9 - 1)}",
                    "VN": f"03{r(10**7, 10**8 - 1)}"}.get(nationality,
                                                           f"9144{r(10**13, 10**14 - 1)}")
        return {"MY": f"{r(60, 99)}{r(1, 12):02d}{r(1, 28):02d}-{r(1, 14):02d}-{r(1000, 9999)}",
                "TH": f"{r(1, 3)}-{r(1000, 9999)}-{r(10000, 99999)}-{r(10, 99)}-{r(0, 9)}",
                "VN": f"0{r(10**10, 10**11 - 1)}"}.get(nationality,
                                                      f"passport E{r(10**7, 10**8 - 1)}")

    # -- workflow ----------------------------------------------------------------

    def move(self, actor: Officer, to: str, **values: Any) -> Case:
        # Moves are recorded as they happened: a few days to weeks apart, never ahead.
        start = self.moved_on or self.case.detected_on or self.today
        self.moved_on = min(self.today, start + timedelta(days=self.rng.randint(1, 45)))
        values.setdefault("on", self.moved_on)
        data = {"version": self.case.version,
                **{k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}}
        return workflow.move_case(self.db, actor, self.case.id, to, data)

    def assign(self, officer: Officer) -> None:
        if officer.id not in self.case.assigned_ids and self.desk.supervisor:
            items.assign(self.db, self.desk.supervisor, self.case.id, officer.id)

    def note(self, actor: Officer, text: str | None = None) -> None:
        pool = NOTES + LOCAL_NOTES[self.cc]
        text = text or self.rng.choice(pool).format(origin=self.origin)
        items.add_note(self.db, actor, self.case.id, text)

    def close(self, actor: Officer, outcome: str, on: date | None = None) -> Case:
        fine = self.shown(self.money(self.rng.choice((1000, 2500, 5000, 10000, 20000)),
                                     "total"))
        notes = self.rng.choice(OUTCOME_NOTES[outcome]).format(fine=fine)
        when = {"on": on} if on else {}
        case = self.move(actor, "closed", outcome=outcome, outcome_notes=notes, **when)
        self.moved_on = max(self.moved_on, on) if on and self.moved_on else self.moved_on
        return case

    def court_reference(self, on: date) -> str:
        n = self.rng.randint(100, 4999)
        if self.cc == "TH":
            return f"อ.{n}/{on.year + 543}"
        if self.cc == "MY":
            return f"{self.rng.choice(('WA', 'BA', 'JA', 'PA'))}-62-{n}-{on.month:02d}/{on.year}"
        return f"{n}/{on.year}/HS-ST"
