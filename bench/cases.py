"""Benchmark of the case list, filters and search (the Cases issue).

Fills 100,000 cases (10,000 with ``--quick``) into a migrated SQLite database and a
throwaway PostgreSQL, then times what an investigator (own agency) and a national
coordinator (whole country) run through the real code path: ``paginate`` (count + page
of 50) of ``cases_query`` with ``with_items``. Goal: p95 < 100 ms on both backends.

A baseline in the same run, the same page of 50 fetched by primary-key range
(``WHERE id BETWEEN``, no count), shows what this machine does at best.

    .venv/bin/python bench/cases.py --quick      # ~10,000 cases, well under 3 minutes
    .venv/bin/python bench/cases.py              # 100,000 cases, several minutes
    .venv/bin/python bench/cases.py --explain 2  # and the plans of the slowest queries

The last line of the output is JSON with the figures (milliseconds).
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from sqlalchemy import event, insert, select  # noqa: E402

from tests.servers import ServerUnavailable  # noqa: E402

PER_PAGE = 50
BATCH = 5_000
END = date(2026, 11, 25)  # fixed, so that a seed gives the same data set every time
DAYS = 3 * 365
GOAL_MS = 100.0
KINDS = ("list", "filter", "search")

# --- reference data for the generator ----------------------------------------------

COUNTRY_WEIGHTS = {"ID": 20, "TH": 15, "VN": 15, "PH": 12, "MY": 12, "SG": 6, "KH": 5,
                   "MM": 5, "LA": 4, "BN": 3, "TL": 3}
CURRENCY = {"BN": "BND", "KH": "KHR", "ID": "IDR", "LA": "LAK", "MY": "MYR", "MM": "MMK",
            "PH": "PHP", "SG": "SGD", "TH": "THB", "VN": "VND", "TL": "USD"}
USD_PER_UNIT = {"BND": 0.74, "KHR": 0.000245, "IDR": 0.000062, "LAK": 0.000046,
                "MYR": 0.22, "MMK": 0.00048, "PHP": 0.017, "SGD": 0.74, "THB": 0.029,
                "VND": 0.00004, "USD": 1.0}

PRODUCTS = {
    "apparel": ["t-shirts", "polo shirts", "jackets", "jeans", "football jerseys", "caps"],
    "footwear": ["running shoes", "sneakers", "sandals", "football boots", "slippers"],
    "bags_accessories": ["handbags", "wallets", "belts", "backpacks", "sunglasses"],
    "watches_jewellery": ["watches", "bracelets", "necklaces", "rings", "earrings"],
    "electronics": ["earphones", "chargers", "speakers", "power banks", "smartwatches"],
    "mobile_accessories": ["phone cases", "charging cables", "screen protectors", "adapters"],
    "cosmetics": ["lipsticks", "perfume", "face cream", "shampoo", "whitening cream"],
    "pharmaceuticals": ["tablets", "capsules", "cough syrup", "test kits", "ointment"],
    "food_beverages": ["milk powder", "energy drinks", "coffee", "instant noodles", "seasoning"],
    "tobacco_alcohol": ["cigarettes", "whisky", "cognac", "vodka", "beer"],
    "toys": ["dolls", "building blocks", "action figures", "plush toys", "figurines"],
    "auto_parts": ["brake pads", "spark plugs", "engine oil", "oil filters", "tyres"],
    "household": ["detergent", "batteries", "light bulbs", "kitchen knives", "toothpaste"],
    "media_software": ["DVDs", "software licences", "game cartridges", "IPTV boxes", "books"],
}
UNITS = {"footwear": "pairs", "food_beverages": "cartons", "tobacco_alcohol": "cartons",
         "pharmaceuticals": "boxes", "cosmetics": "pieces"}

# (category, brands): the most counterfeited first in each group.
BRANDS = {
    "footwear": "Nike, Adidas, Puma, New Balance, Converse, Vans, Skechers, Asics, Reebok, "
                "Fila, Crocs, Under Armour, Timberland, Dr. Martens, Birkenstock, "
                "Onitsuka Tiger, Mizuno, Salomon, Hoka, Ugg",
    "apparel": "Supreme, Lacoste, Ralph Lauren, Tommy Hilfiger, Calvin Klein, Levi's, "
               "Uniqlo, Zara, H&M, The North Face, Champion, Superdry, Hugo Boss, Armani, "
               "Burberry, Moncler, Stone Island, Off-White, Balenciaga, Fred Perry, Stüssy, "
               "Bape, Carhartt, Columbia, Quiksilver, Billabong, Manchester United, "
               "Real Madrid, Juventus, Liverpool FC, Versace",
    "bags_accessories": "Louis Vuitton, Gucci, Chanel, Hermès, Prada, Dior, Fendi, Coach, "
                        "Michael Kors, Kate Spade, Longchamp, Celine, Chloé, Bottega Veneta, "
                        "Saint Laurent, Givenchy, Valentino, Goyard, Tory Burch, Ray-Ban, "
                        "Oakley, Furla, MCM, Loewe, Miu Miu",
    "watches_jewellery": "Rolex, Omega, Cartier, Tag Heuer, Patek Philippe, Audemars Piguet, "
                         "Casio, Seiko, Citizen, Swatch, Tissot, Longines, Breitling, Hublot, "
                         "Tiffany & Co., Pandora, Swarovski, Daniel Wellington, Fossil, "
                         "Richard Mille, Bvlgari, Van Cleef & Arpels",
    "electronics": "Apple, Samsung, Sony, JBL, Bose, Beats, Xiaomi, Huawei, Oppo, Vivo, "
                   "Realme, Anker, Logitech, Canon, Nikon, GoPro, Dyson, Philips, Panasonic, "
                   "LG, Sennheiser, Marshall, DJI, Lenovo, HP, Dell, Asus, Acer, SanDisk, "
                   "Kingston",
    "mobile_accessories": "Baseus, Ugreen, OtterBox, Spigen, Belkin, Remax, Aukey, Mophie",
    "cosmetics": "L'Oréal, Maybelline, MAC, Estée Lauder, Clinique, Lancôme, Shiseido, SK-II, "
                 "Sulwhasoo, Innisfree, Laneige, The Ordinary, Nivea, Garnier, Olay, Pond's, "
                 "Dove, Head & Shoulders, Pantene, Clarins, Kiehl's, Nars, Huda Beauty, "
                 "Kylie Cosmetics, Fenty Beauty, Bioderma, La Roche-Posay, Vichy, Cetaphil",
    "pharmaceuticals": "Viagra, Cialis, Panadol, Voltaren, Lipitor, Xanax, Tamiflu, "
                       "Augmentin, Ventolin, Strepsils, Tiger Balm, Salonpas, Centrum, "
                       "Ozempic, Biogesic, Decolgen",
    "food_beverages": "Nestlé, Milo, Nescafé, Ovaltine, Red Bull, Coca-Cola, Pepsi, Kit Kat, "
                      "Ferrero Rocher, Toblerone, Pringles, Indomie, Maggi, Ajinomoto, Knorr, "
                      "Enfagrow, Similac, Dutch Lady, Anchor, Lay's, Oreo, Nutella, "
                      "Monster Energy, Lipton, Dilmah, Vinamilk, Trung Nguyên, Kopiko",
    "tobacco_alcohol": "Marlboro, Camel, Dunhill, Mevius, Lucky Strike, Winston, Salem, Esse, "
                       "Gudang Garam, Sampoerna, Johnnie Walker, Chivas Regal, Hennessy, "
                       "Rémy Martin, Martell, Moët & Chandon, Jack Daniel's, Absolut, "
                       "Heineken, Tiger Beer, Chang, Singha, Carlsberg, San Miguel, Jameson, "
                       "Macallan, Glenfiddich",
    "toys": "Lego, Barbie, Hot Wheels, Pokémon, Hello Kitty, Disney, Marvel, Bandai, Tamiya, "
            "Labubu, Pop Mart, Squishmallows, Nerf, Transformers, Sanrio, Doraemon",
    "auto_parts": "Bosch, Denso, NGK, Castrol, Shell Helix, Mobil 1, Michelin, Bridgestone, "
                  "Toyota Genuine Parts, Honda, Yamaha, Brembo, Petronas, Motul, Valvoline, "
                  "Yokohama",
    "household": "Duracell, Energizer, Tefal, Tupperware, Zojirushi, Dettol, Lifebuoy, "
                 "Colgate, Gillette, Oral-B, Scotch-Brite, 3M, WD-40, Vileda, Ariel, Downy, "
                 "Attack, Sunlight",
    "media_software": "Microsoft, Windows, Adobe, Netflix, PlayStation, Nintendo, Xbox, "
                      "Spotify, Autodesk, Kaspersky, Norton, HBO, Premier League, beIN Sports, "
                      "Astro, TrueVisions",
}
# How counterfeiters (and tired officers) spell them.
MISSPELLINGS = {
    "Nike": ["Nikee", "Nikke", "Naik"], "Adidas": ["Addidas", "Adiddas", "Abidas"],
    "Louis Vuitton": ["Luis Vuitton", "Louis Vuiton", "Louise Vitton"],
    "Chanel": ["Channel", "Chanell"], "Gucci": ["Guchi", "Gucchi"], "Rolex": ["Rolx", "Rolexx"],
    "Samsung": ["Samsnug", "Samsumg"], "Apple": ["Aple", "Appel"], "Puma": ["Pumma"],
    "Prada": ["Pradda"], "Hermès": ["Hermes", "Hermmes"], "Dior": ["Diorr"],
    "Bvlgari": ["Bulgari", "Bvlgary"], "Casio": ["Casiio"], "Calvin Klein": ["Calvin Klien"],
    "Tommy Hilfiger": ["Tommy Hilfigger"], "Ray-Ban": ["Ray Ban", "Rayban"],
    "Sony": ["Sonny"], "Panadol": ["Panadool"], "Marlboro": ["Malboro"],
    "Johnnie Walker": ["Johny Walker"], "Hennessy": ["Hennesy", "Henessy"],
    "Supreme": ["Supreem"], "Balenciaga": ["Balenciage"], "Moncler": ["Monclerr"],
    "Michael Kors": ["Micheal Kors"], "Versace": ["Versaci"], "Omega": ["Omegga"],
    "Cartier": ["Cartiier"], "Lego": ["Lepin", "Lego-compatible"], "Pokémon": ["Pokemon"],
    "Nestlé": ["Nestle"], "L'Oréal": ["Loreal"], "Estée Lauder": ["Estee Lauder"],
    "Converse": ["Convers"], "New Balance": ["New Balanse"], "Xiaomi": ["Xiaomy"],
    "Huawei": ["Huawey"], "JBL": ["JBI"], "Beats": ["Beatz"], "Labubu": ["Lafufu"],
    "Viagra": ["Viagara"], "Red Bull": ["Red Bul"], "Coca-Cola": ["Coca Cola"],
    "Levi's": ["Levis", "Levl's"], "Lacoste": ["Lacost"], "Burberry": ["Burbery"],
    "Fendi": ["Fendy"], "Coach": ["Coch"], "Celine": ["Celline"], "Tag Heuer": ["Tag Hauer"],
    "Patek Philippe": ["Patek Phillipe"], "Audemars Piguet": ["Audemar Piguet"],
    "Seiko": ["Seik0"], "Swarovski": ["Swarovsky"], "Pandora": ["Pandorra"],
    "Bose": ["Boss Audio"], "Dyson": ["Dysson"], "Maybelline": ["Maybeline"],
    "SK-II": ["SK II", "SK2"], "Dunhill": ["Dunhil"], "Chivas Regal": ["Chivas Regall"],
    "Castrol": ["Castroll"], "Michelin": ["Michellin"], "Duracell": ["Duracel"],
    "Gillette": ["Gilette"], "Microsoft": ["Mircosoft"], "PlayStation": ["Play Station"],
    "Nintendo": ["Nintend0"], "Crocs": ["Crox"], "Vans": ["Vanz"], "Asics": ["Asisc"],
}
# The brands most seized in the region get most of the cases.
HOT = {"Nike", "Adidas", "Louis Vuitton", "Chanel", "Gucci", "Rolex", "Apple", "Samsung",
       "Hermès", "Prada", "Dior", "Supreme", "Lacoste", "Casio", "Marlboro", "Viagra",
       "Panadol", "Johnnie Walker", "Hennessy", "Labubu", "Lego", "Pokémon", "Puma",
       "Converse", "Michael Kors", "Coach", "Ray-Ban", "JBL", "Xiaomi", "Sony", "Omega",
       "Cartier", "SK-II", "L'Oréal", "Castrol", "Gillette", "Milo", "Red Bull", "Bvlgari"}

PLATFORMS = [("shopee", 26), ("lazada", 18), ("tiktok_shop", 14), ("facebook", 12),
             ("tokopedia", 7), ("instagram", 7), ("carousell", 4), ("telegram", 4),
             ("website", 4), ("zalora", 2), ("bukalapak", 1), ("other", 1)]
DOMAINS = {"shopee": "shopee.co.id", "lazada": "lazada.com.ph", "tiktok_shop": "shop.tiktok.com",
           "facebook": "facebook.com/marketplace", "tokopedia": "tokopedia.com",
           "instagram": "instagram.com", "carousell": "carousell.sg", "telegram": "t.me",
           "website": "replica-deals.example", "zalora": "zalora.com.my",
           "bukalapak": "bukalapak.com", "other": "example.net"}
SELLER_WORDS_1 = ["Lucky", "Golden", "Happy", "Best", "Mega", "Super", "Prime", "Royal",
                  "Smart", "Trendy", "Luxury", "Cheap", "Original", "Grand", "Bright", "Top",
                  "Global", "Sunny", "Jaya", "Maju", "Sinar", "Berkah", "Makmur", "Saigon",
                  "Hanoi", "Siam", "Mekong", "Manila", "Borneo", "Java", "Angkor", "Mutiara",
                  "Kedai", "Toko", "Cua Hang", "Ran", "Bintang", "Phoenix", "Dragon", "Tiger"]
SELLER_WORDS_2 = ["Store", "Shop", "Mart", "Outlet", "Collection", "Boutique", "Trading",
                  "Gadget", "Fashion", "Watch", "Shoes", "Bags", "Beauty", "Deals", "Hub",
                  "Corner", "House", "World", "Express", "Official", "Sport", "Luxe", "Kids",
                  "Pharmacy", "Auto", "Tech"]
TAGS = ["repeat-offender", "warehouse", "port", "festival", "high-value", "health-risk",
        "social-media", "livestream", "cross-border", "syndicate", "night-market", "mall"]
DETECTIONS_COUNTERFEIT = [("raid", 40), ("customs_detention", 25), ("market_inspection", 25),
                          ("complaint", 10)]
DETECTIONS_ONLINE = [("online_monitoring", 75), ("complaint", 25)]
# (right type bit, probability): trademark dominates, then copyright and designs.
RIGHTS = [(1, 0.88), (2, 0.14), (4, 0.08), (8, 0.02), (16, 0.02), (32, 0.02)]
STATUS_BY_AGE = [  # (max age in days, weights of draft/open/under_investigation/...)
    (90, (15, 35, 35, 10, 3, 2)), (365, (3, 15, 35, 17, 12, 18)), (10**6, (1, 4, 15, 10, 15, 55))]
STATUSES = ("draft", "open", "under_investigation", "prosecution", "in_court", "closed")


def _brand_table() -> list[tuple[str, str, float]]:
    """[(brand, category, weight)]: ~300 brands, real ones and their misspellings."""
    out: list[tuple[str, str, float]] = []
    for category, names in BRANDS.items():
        for rank, name in enumerate(n.strip() for n in names.split(",")):
            weight = (12.0 if name in HOT else 1.0) / (1 + rank) ** 0.3
            out.append((name, category, weight))
            for wrong in MISSPELLINGS.get(name, []):
                out.append((wrong, category, weight * 0.15))
    return out


class Weighted:
    """random.choices for one item, with the cumulative weights computed once."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


# --- output --------------------------------------------------------------------------

def log(message: str, *, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


class Progress:
    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.start = label, total, time.perf_counter()

    def update(self, done: int) -> None:
        elapsed = time.perf_counter() - self.start
        log(f"\r  {self.label}: {done:,}/{self.total:,} cases ({elapsed:.0f} s)   ", end="")

    def finish(self) -> float:
        elapsed = time.perf_counter() - self.start
        log(f"\r  {self.label}: {self.total:,} cases in {elapsed:.1f} s" + " " * 10)
        return elapsed


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- databases -----------------------------------------------------------------------

APP_CONFIG = {"TESTING": True, "LOG_LEVEL": "WARNING", "REDIS_URL": None,
              "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None}


def isolated_environment() -> str:
    """A temporary data folder and a throwaway secret: a benchmark never touches ./instance."""
    folder = tempfile.mkdtemp(prefix="anice-bench-")
    os.environ["ANICE_DATA_DIR"] = folder
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    return folder


def make_app(url: str):
    from anice import create_app

    return create_app({**APP_CONFIG, "DATABASE_URL": url})


def migrate(url: str) -> None:
    """The real migrations, as tests/conftest.py runs them."""
    from alembic import command

    from anice.cli import _alembic_config

    app = make_app(url)
    with app.app_context():
        command.upgrade(_alembic_config(), "head")
    app.extensions["anice.engine"].dispose()


@contextmanager
def sqlite_database(folder: str) -> Iterator[str]:
    url = f"sqlite:///{os.path.join(folder, 'bench.db')}"
    migrate(url)
    yield url


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    from tests.servers import start_postgres

    server = start_postgres()
    try:
        with psycopg.connect(f"host=127.0.0.1 port={server.port} user=anice dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE anice_bench")
        url = server.url("anice_bench")
        migrate(url)
        yield url
    finally:
        server.stop()


# --- filling -------------------------------------------------------------------------

@dataclass
class World:
    """What the generator and the queries need to know about the filled data."""

    cases: int = 0
    agencies: list[Any] = field(default_factory=list)  # (id, code, country, weight)
    staff: dict[int, list[int]] = field(default_factory=dict)  # agency id -> officer ids
    investigators: list[int] = field(default_factory=list)
    coordinators: dict[str, int] = field(default_factory=dict)  # country -> officer id
    brands: list[tuple[str, str, float]] = field(default_factory=list)
    sellers: list[tuple[str, str]] = field(default_factory=list)  # (name, id)
    rows: dict[str, int] = field(default_factory=dict)
    fill_seconds: float = 0.0


def make_people(db, world: World) -> None:
    """Agencies (2-3 per country, as in the demo set) and their officers, via the ORM."""
    from anice.admin.bootstrap import ensure_member_states
    from anice.demo import AGENCIES
    from anice.models import Agency, AgencyKind, Country, Officer, Role

    ensure_member_states(db)
    total_staff = 320
    for country, agencies in AGENCIES.items():
        tz = db.get(Country, country).timezone
        shares = [0.5, 0.3, 0.2][:len(agencies)]
        shares = [s / sum(shares) for s in shares]
        for (code, name, kind), share in zip(agencies, shares, strict=True):
            agency = Agency(country_code=country, code=code, name=name, kind=AgencyKind(kind))
            db.add(agency)
            db.flush()
            weight = COUNTRY_WEIGHTS[country] * share
            world.agencies.append((agency.id, code, country, weight))
            people = []
            n_inv = max(2, round(total_staff * weight / 100))
            roles = ([Role.INVESTIGATOR] * n_inv + [Role.PROSECUTOR] * max(1, n_inv // 4)
                     + [Role.SUPERVISOR])
            for i, role in enumerate(roles):
                officer = Officer(email=f"{role.value}{i}.{code.lower()}@{country.lower()}.bench",
                                  name=f"{role.label} {i} {code}", role=role, agency=agency,
                                  timezone=tz, active=True, totp_confirmed=True)
                db.add(officer)
                db.flush()
                if role == Role.INVESTIGATOR:
                    world.investigators.append(officer.id)
                if role != Role.SUPERVISOR:
                    people.append(officer.id)
            world.staff[agency.id] = people
            if code == agencies[-1][0]:  # the coordinator sits in the country's last agency
                officer = Officer(email=f"coordinator@{country.lower()}.bench",
                                  name=f"Coordinator {country}", role=Role.COORDINATOR,
                                  agency=agency, timezone=tz, active=True, totp_confirmed=True)
                db.add(officer)
                db.flush()
                world.coordinators[country] = officer.id
    db.commit()


def make_sellers(rng: random.Random, count: int = 20_000) -> list[tuple[str, str]]:
    sellers, seen = [], set()
    while len(sellers) < count:
        first, second = rng.choice(SELLER_WORDS_1), rng.choice(SELLER_WORDS_2)
        name = f"{first} {second}" + (f" {rng.randint(1, 999)}" if rng.random() < 0.6 else "")
        handle = f"{first}{second}".lower().replace(" ", "") + str(rng.randint(1, 99_999))
        if handle in seen:
            continue
        seen.add(handle)
        sellers.append((name, handle))
    return sellers


def fill(url: str, n_cases: int, seed: int, label: str) -> World:
    """Bulk insert ``n_cases`` cases with their items, listings, team and search text."""
    from anice import db as anice_db
    from anice.cases import search
    from anice.models import Case, CaseAssignment, CaseCounter, CaseSearch, Listing, SeizureItem

    rng = random.Random(seed)
    world = World(cases=n_cases, brands=_brand_table())
    world.sellers = make_sellers(rng)
    app = make_app(url)
    started = time.perf_counter()
    with app.app_context():
        session = anice_db.session()
        make_people(session, world)
        session.close()
        engine = anice_db.engine()

        agency_pick = Weighted(world.agencies, [a[3] for a in world.agencies])
        brand_pick = Weighted(world.brands, [b[2] for b in world.brands])
        seller_pick = Weighted(world.sellers,
                               [1 / (1 + i) ** 0.6 for i in range(len(world.sellers))])
        platform_pick = Weighted([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])
        det_c = Weighted(*zip(*DETECTIONS_COUNTERFEIT, strict=True))
        det_o = Weighted(*zip(*DETECTIONS_ONLINE, strict=True))
        status_picks = [(age, Weighted(list(STATUSES), list(w))) for age, w in STATUS_BY_AGE]
        provinces = {c: list(v) for c, v in _places().items()}
        counters: dict[tuple[int, int], int] = defaultdict(int)
        end_dt = datetime(END.year, END.month, END.day, 18, tzinfo=UTC)
        item_id = listing_id = 0
        rows = defaultdict(int)
        progress = Progress(f"{label} fill", n_cases)

        for start in range(1, n_cases + 1, BATCH):
            cases, items, listings, team, docs = [], [], [], [], []
            for case_id in range(start, min(start + BATCH, n_cases + 1)):
                agency_id, code, country, _w = agency_pick.pick(rng)
                # More cases in recent years: the age is skewed towards today.
                age = int(DAYS * (1 - math.sqrt(rng.random())))
                detected = END - timedelta(days=age)
                created = datetime(detected.year, detected.month, detected.day,
                                   rng.randint(1, 10), rng.randint(0, 59), tzinfo=UTC)
                if created + timedelta(days=14) < end_dt:  # entered up to two weeks later
                    created += timedelta(days=rng.randint(0, 14), seconds=rng.randint(0, 3599))
                # Last edit: days to months later for older cases, never after END.
                updated = created + timedelta(hours=rng.expovariate(1 / 24 / min(age + 1, 200)))
                if updated >= end_dt:
                    updated = created + (end_dt - created) * rng.random()
                status = next(p for a, p in status_picks if age <= a).pick(rng)
                year = created.year
                counters[(agency_id, year)] += 1
                seq = counters[(agency_id, year)]
                kind = "counterfeit" if rng.random() < 0.5 else "online"
                province = rng.choice(provinces[country])
                mask = sum(bit for bit, p in RIGHTS if rng.random() < p) or 1
                brand, category, _bw = brand_pick.pick(rng)
                product = rng.choice(PRODUCTS[category])
                tags = rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3)))
                seizures, offers = [], []
                if kind == "counterfeit":
                    title = rng.choice((
                        f"Raid on {province} warehouse: fake {brand} {product}",
                        f"Counterfeit {brand} {product} seized in {province}",
                        f"{brand} {product} detained at the border ({province})",
                        f"Market inspection, {province}: {brand} and other brands",
                    ))
                    detection = det_c.pick(rng)
                    for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
                        b, cat = (brand, category) if k == 0 else brand_pick.pick(rng)[:2]
                        seizures.append(_seizure(rng, b, cat, country, detected))
                    summary = (f"{len(seizures)} kinds of goods bearing the {brand} mark "
                               f"found during a {detection.replace('_', ' ')} in {province}. "
                               f"Suspected supply from a {rng.choice(TAGS)} network.")
                else:
                    platform = platform_pick.pick(rng)
                    seller = seller_pick.pick(rng)
                    title = rng.choice((
                        f"{platform.replace('_', ' ').title()} seller of fake {brand} {product}",
                        f"{seller[0]}: replica {brand} {product} online",
                        f"Online offers of {brand} {product} ({platform})",
                    ))
                    detection = det_o.pick(rng)
                    for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
                        p = platform if k == 0 else platform_pick.pick(rng)
                        s = seller if k == 0 or rng.random() < 0.5 else seller_pick.pick(rng)
                        offers.append(_listing(rng, p, s, brand, product, country, created))
                    summary = (f"{seller[0]} offers {brand} {product} as 'premium copies' "
                               f"to buyers in {province}; {len(offers)} listings recorded.")
                restricted = rng.random() < 0.05
                reference = f"{country}-{code}-{year}-{seq:06d}"
                staff = world.staff[agency_id]
                members = rng.sample(staff, min(len(staff), rng.choice((1, 1, 2))))
                cases.append({
                    "id": case_id, "reference": reference, "agency_id": agency_id,
                    "country_code": country, "year": year, "seq": seq, "kind": kind,
                    "status": status, "sensitivity": "restricted" if restricted else "normal",
                    "title": title[:200], "summary": summary, "right_types_mask": mask,
                    "detection": detection, "province": province, "city": None,
                    "detected_on": detected,
                    "opened_on": None if status == "draft" else created.date(),
                    "closed_on": (min(END, updated.date()) if status == "closed" else None),
                    "tags": tags, "created_by_id": members[0], "created_at": created,
                    "updated_at": updated, "version": 1 + rng.randint(0, 6)})
                for officer_id in members:
                    team.append({"case_id": case_id, "officer_id": officer_id,
                                 "assigned_at": created})
                for s in seizures:
                    item_id += 1
                    items.append({"id": item_id, "case_id": case_id, **s})
                for x in offers:
                    listing_id += 1
                    listings.append({"id": listing_id, "case_id": case_id, **x})
                # The search text exactly as anice.cases.search.document() builds it.
                doc = SimpleNamespace(
                    reference=reference, title=title, summary=summary, tags=tags,
                    seizures=[SimpleNamespace(**s) for s in seizures],
                    listings=[SimpleNamespace(**x) for x in offers], parties=[])
                docs.append({"case_id": case_id, "body": search.document(doc)})
            with engine.begin() as conn:
                conn.execute(insert(Case.__table__), cases)
                conn.execute(insert(CaseAssignment.__table__), team)
                if items:
                    conn.execute(insert(SeizureItem.__table__), items)
                if listings:
                    conn.execute(insert(Listing.__table__), listings)
                # On SQLite the case_search triggers fill the FTS5 index (case_fts).
                conn.execute(insert(CaseSearch.__table__), docs)
            rows["case_assignment"] += len(team)
            rows["seizure_item"] += len(items)
            rows["listing"] += len(listings)
            progress.update(min(start + BATCH - 1, n_cases))
        with engine.begin() as conn:
            conn.execute(insert(CaseCounter.__table__),
                         [{"agency_id": a, "year": y, "last": n} for (a, y), n in counters.items()])
        world.fill_seconds = progress.finish()
        rows["case_file"] = n_cases
        world.rows = dict(rows)
        log(f"  {label} analyze ...", end="")
        t0 = time.perf_counter()
        analyze(engine)
        log(f" {time.perf_counter() - t0:.1f} s")
    app.extensions["anice.engine"].dispose()
    world.fill_seconds = time.perf_counter() - started
    return world


def _places() -> dict[str, tuple[str, ...]]:
    from anice.cases.places import provinces
    from anice.demo import AGENCIES

    return {c: provinces(c) for c in AGENCIES}


def _seizure(rng: random.Random, brand: str, category: str, country: str,
             detected: date) -> dict:
    from anice.text.brand import brand_key

    quantity = Decimal(rng.choice((rng.randint(1, 50), rng.randint(50, 2000),
                                   rng.randint(100, 50_000))))
    currency = CURRENCY[country]
    usd_unit_price = Decimal(str(round(rng.uniform(0.5, 80), 2)))
    rate = Decimal(str(USD_PER_UNIT[currency]))
    value_usd = (quantity * usd_unit_price).quantize(Decimal("0.01"))
    value_local = (value_usd / rate).quantize(Decimal("0.01"))
    disposal = rng.choice((None, None, None, "destroyed", "destroyed", "recycled", "donated"))
    return {"description": f"{rng.choice(PRODUCTS[category])} bearing the {brand} mark",
            "brand": brand, "brand_key": brand_key(brand), "category": category,
            "quantity": quantity, "unit": UNITS.get(category, "pieces"),
            "value_local": value_local, "currency": currency, "usd_rate": rate,
            "rate_date": detected, "value_usd": value_usd,
            "storage_place": rng.choice((None, "Evidence store 1", "Customs warehouse B")),
            "disposal": disposal,
            "disposal_on": detected + timedelta(days=rng.randint(30, 300)) if disposal else None}


def _listing(rng: random.Random, platform: str, seller: tuple[str, str], brand: str,
             product: str, country: str, created: datetime) -> dict:
    requested = created.date() + timedelta(days=rng.randint(0, 10))
    result = rng.choice((None, "pending", "removed", "removed", "removed", "refused",
                         "no_response", "partially_removed"))
    return {"url": f"https://{DOMAINS[platform]}/{seller[1]}/i{rng.randint(10**6, 10**9)}",
            "platform": platform, "seller_name": seller[0], "seller_id": seller[1],
            "title": rng.choice((f"{brand} {product} premium copy", f"{brand} {product} grade A",
                                 f"Original {brand} {product} cheap", f"{brand} {product} 1:1")),
            "price": (Decimal(str(round(rng.uniform(2, 400), 2)))
                      / Decimal(str(USD_PER_UNIT[CURRENCY[country]]))).quantize(Decimal("0.01")),
            "currency": CURRENCY[country],
            "seen_at": created - timedelta(hours=rng.randint(1, 240)),
            "takedown_requested_on": requested if result else None,
            "takedown_done_on": (requested + timedelta(days=rng.randint(1, 20))
                                 if result in ("removed", "partially_removed") else None),
            "takedown_result": result}


def analyze(engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("case_file", "seizure_item", "listing"):
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT max(id) FROM {table}))")
        conn.exec_driver_sql("VACUUM ANALYZE")


# --- measuring -----------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    role: str
    label: str
    ms: float
    total: int
    run: Callable[[], Any]
    count_ms: float = 0.0  # of which the count query (as the driver ran it)


def _q(value: str) -> str:
    from anice.cases.search import fold

    return fold(value)


class Workload:
    """Varied list/filter/search parameters, as officers would type them."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self.brand_pick = Weighted(world.brands, [b[2] for b in world.brands])
        # Officers look for sellers that come back, not for a random one-off shop.
        self.seller_pick = Weighted(world.sellers[:2000], [1 / (1 + i) ** 0.6
                                                           for i in range(2000)])

    def _brand(self) -> str:
        rng = self.rng
        return (self.brand_pick.pick(rng) if rng.random() < 0.7
                else rng.choice(self.world.brands))[0]

    def _window(self) -> tuple[str, str]:
        days = self.rng.choice((30, 31, 61, 92))
        end = END - timedelta(days=self.rng.randint(0, DAYS - days))
        return (end - timedelta(days=days)).isoformat(), end.isoformat()

    def list(self, pages: int) -> tuple[str, dict]:
        r = self.rng.random()
        page = 1 if r < 0.5 else self.rng.randint(2, 5) if r < 0.7 else self.rng.randint(1, pages)
        return f"page {page}", {"page": page}

    def filter(self) -> tuple[str, dict]:
        rng = self.rng
        brand = self._brand()
        prefix = _q(brand)[:rng.randint(3, 6)]
        start, end = self._window()
        options = [
            {"status": rng.choice(STATUSES)},
            {"kind": rng.choice(("counterfeit", "online"))},
            {"right_type": rng.choice(("trademark", "trademark", "copyright", "design",
                                       "patent", "gi"))},
            {"brand": prefix},
            {"platform": rng.choice([p for p, _ in PLATFORMS])},
            {"date_from": start, "date_to": end},
            {"status": rng.choice(STATUSES[1:4]), "kind": rng.choice(("counterfeit", "online"))},
            {"brand": prefix, "date_from": start, "date_to": end},
            {"platform": rng.choice(("shopee", "lazada", "tiktok_shop")),
             "status": rng.choice(STATUSES)},
            {"kind": "counterfeit", "right_type": "trademark", "date_from": start,
             "date_to": end},
            {"brand": prefix, "status": rng.choice(STATUSES)},
        ]
        args = rng.choice(options)
        return " ".join(f"{k}={v}" for k, v in args.items()), args

    def search(self) -> tuple[str, dict]:
        rng = self.rng
        r = rng.random()
        words = [w for w in _q(self._brand()).replace("-", " ").split() if len(w) > 1]
        word = max(words or ["nike"], key=len)
        if r < 0.4:  # a brand word
            q = word
        elif r < 0.7:  # a seller name or handle prefix
            name, handle = self.seller_pick.pick(rng)
            q = (handle[:rng.randint(5, 9)] if rng.random() < 0.5
                 else _q(name).split()[0][:rng.randint(4, 7)])
        else:  # two words: brand and product, or a seller's name
            if rng.random() < 0.6:
                category = next(b[1] for b in self.world.brands if _q(b[0]).find(word) >= 0)
                q = f"{word} {rng.choice(PRODUCTS[category]).split()[-1]}"
            else:
                q = " ".join(_q(self.seller_pick.pick(rng)[0]).split()[:2])
        return f"q={q!r}", {"q": q}


def measure(url: str, world: World, reps: int, seed: int, label: str) -> list[Sample]:
    """Time each query kind ``reps`` times, half as an investigator, half as a coordinator."""
    from anice import db as anice_db
    from anice.cases.service import CaseFilter, cases_query, with_items
    from anice.models import Case, Officer
    from anice.web import paginate

    rng = random.Random(seed + 1)
    work = Workload(world, rng)
    # What the fill left on the heap is no part of a request: keep the garbage
    # collector's full passes over it out of the timings.
    gc.collect()
    gc.freeze()
    app = make_app(url)
    samples: list[Sample] = []
    with app.app_context():
        session = anice_db.session()
        officers = {o.id: o for o in session.scalars(select(Officer))}
        for o in officers.values():
            _ = o.agency.country_code  # loaded while attached
        session.close()
        countries = list(world.coordinators)
        country_pick = Weighted(countries, [COUNTRY_WEIGHTS[c] for c in countries])
        pages: dict[int, int] = {}

        def run(actor, args: dict) -> Callable[[], Any]:
            f = CaseFilter(per_page=PER_PAGE, **args)

            def go():
                return paginate(with_items(cases_query(anice_db.session(), actor, f)),
                                f.page, f.per_page)
            return go

        counting = {"start": 0.0, "ms": 0.0}

        def before(_conn, _cursor, statement, *_args) -> None:
            if statement.startswith("SELECT count(*)"):
                counting["start"] = time.perf_counter()

        def after(_conn, _cursor, statement, *_args) -> None:
            if statement.startswith("SELECT count(*)"):
                counting["ms"] += (time.perf_counter() - counting["start"]) * 1000

        engine = anice_db.engine()
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)

        def timed(go: Callable[[], Any]) -> tuple[float, int]:
            counting["ms"] = 0.0
            t0 = time.perf_counter()
            page = go()
            ms = (time.perf_counter() - t0) * 1000
            anice_db.session().close()  # a new session per "request", as in the app
            return ms, page.total

        def actor_for(i: int):
            if i % 2 == 0:
                return "investigator", officers[rng.choice(world.investigators)]
            return "coordinator", officers[world.coordinators[country_pick.pick(rng)]]

        # Warm up caches (statement compilation, prepared statements, page cache).
        for i in range(10):
            for kind in KINDS:
                _role, actor = actor_for(i)
                args = {"list": lambda: {}, "filter": lambda: work.filter()[1],
                        "search": lambda: work.search()[1]}[kind]()
                timed(run(actor, args))

        log(f"  {label} measure: ", end="")
        for kind in KINDS:
            for i in range(reps):
                role, actor = actor_for(i)
                if kind == "list":
                    if actor.id not in pages:
                        pages[actor.id] = max(1, math.ceil(timed(run(actor, {}))[1] / PER_PAGE))
                    what, args = work.list(pages[actor.id])
                else:
                    what, args = work.filter() if kind == "filter" else work.search()
                go = run(actor, args)
                ms, total = timed(go)
                who = (f"investigator {actor.id} ({actor.agency.code})" if role == "investigator"
                       else f"coordinator {actor.country_code}")
                samples.append(Sample(kind, role, f"{who}: {what}", ms, total, go,
                                      counting["ms"]))
            log(f"{kind} ", end="")

        # Baseline: the same page of 50 with its items by primary-key range, no count.
        for _ in range(reps):
            first = rng.randint(1, max(1, world.cases - PER_PAGE + 1))

            def base(first=first):
                query = with_items(select(Case).where(
                    Case.id.between(first, first + PER_PAGE - 1)).order_by(Case.id.desc()))
                items = list(anice_db.session().scalars(query).unique())
                return SimpleNamespace(total=len(items))
            ms, total = timed(base)
            samples.append(Sample("baseline", "-", f"id between {first} and {first + 49}",
                                  ms, total, base))
        log("baseline")
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    app.extensions["anice.engine"].dispose()
    return samples


def explain(url: str, samples: list[Sample], count: int) -> list[str]:
    """The plans of the statements run by the ``count`` slowest queries of each kind."""
    from anice import db as anice_db

    out: list[str] = []
    slowest = [s for kind in KINDS
               for s in sorted((s for s in samples if s.kind == kind), key=lambda s: -s.ms)[:count]]
    app = make_app(url)
    with app.app_context():
        engine = anice_db.engine()
        for sample in slowest:
            captured: list[tuple[str, Any]] = []

            def capture(_conn, _cursor, statement, parameters, _context, _many,
                        captured=captured):
                captured.append((statement, parameters))
            event.listen(engine, "before_cursor_execute", capture)
            try:
                sample.run()
            finally:
                event.remove(engine, "before_cursor_execute", capture)
                anice_db.session().close()
            out.append(f"--- {sample.kind} {sample.ms:.1f} ms, {sample.total} rows: "
                       f"{sample.label}")
            with engine.connect() as conn:
                for statement, parameters in captured:
                    if not statement.lstrip().upper().startswith("SELECT COUNT") and (
                            "FROM case_file" not in statement):
                        continue  # pool pre-ping, loading the page's items (by case id)
                    t0 = time.perf_counter()
                    conn.exec_driver_sql(statement, parameters).all()
                    ms = (time.perf_counter() - t0) * 1000
                    short = re.sub(r"SELECT case_file\.id\b.*?FROM", "SELECT case_file.* FROM",
                                   statement, flags=re.S)
                    out.append(f"{ms:.1f} ms: " + " ".join(short.split()))
                    out.append(f"  params: {parameters}")
                    if engine.dialect.name == "sqlite":
                        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                    parameters).all()
                        depth = {0: 0}
                        for node, parent, _unused, detail in rows:
                            depth[node] = depth.get(parent, 0) + 1
                            out.append("  " * depth[node] + detail)
                    else:
                        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                                    parameters).all()
                        out.extend("  " + r[0] for r in rows)
                    conn.rollback()
    app.extensions["anice.engine"].dispose()
    return out


def summarise(samples: list[Sample]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.kind].append(s)
        if s.role != "-":
            groups[f"{s.kind}/{s.role}"].append(s)
    out = {}
    for key, group in groups.items():
        ms = [s.ms for s in group]
        counts = [s.count_ms for s in group]
        out[key] = {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
                    "max": max(ms), "rows": sum(s.total for s in group) / len(group),
                    "count_p50": percentile(counts, 50), "count_p95": percentile(counts, 95)}
    return out


def table(results: dict[str, dict], worlds: dict[str, World]) -> str:
    lines = []
    head = f"{'backend':10} {'query':17} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    head += f" {'count p50':>9} {'count p95':>9} {'avg rows':>9}  goal"
    for backend, summary in results.items():
        world = worlds[backend]
        lines.append(f"{backend}: {world.cases:,} cases, {world.rows.get('seizure_item', 0):,} "
                     f"seizure items, {world.rows.get('listing', 0):,} listings, "
                     f"{world.rows.get('case_assignment', 0):,} assignments "
                     f"(filled in {world.fill_seconds:.0f} s)")
        lines.append(head)
        keys = [k for kind in KINDS for k in (kind, f"{kind}/investigator", f"{kind}/coordinator")]
        for key in [*keys, "baseline"]:
            if key not in summary:
                continue
            s = summary[key]
            mark = "" if key == "baseline" else ("ok" if s["p95"] < GOAL_MS else "SLOW")
            name = key if "/" not in key else "  " + key.split("/")[1]
            counts = ("" if key == "baseline"
                      else f"{s['count_p50']:>9.1f} {s['count_p95']:>9.1f}")
            lines.append(f"{backend:10} {name:17} {s['n']:>4} {s['p50']:>8.1f} {s['p95']:>8.1f} "
                         f"{s['max']:>8.1f} {counts:>19} {s['rows']:>9.0f}  {mark}")
        lines.append("")
    return "\n".join(lines)


def slowest(samples: list[Sample], count: int = 5) -> list[str]:
    worst = sorted((s for s in samples if s.kind != "baseline"), key=lambda s: -s.ms)[:count]
    return [f"  {s.ms:7.1f} ms {s.kind:6} {s.total:>6} rows  {s.label}" for s in worst]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="10,000 cases and fewer repetitions (under 3 minutes)")
    parser.add_argument("--cases", type=int, help="number of cases (default 100,000)")
    parser.add_argument("--reps", type=int, help="repetitions per query kind (default 100)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--samples", action="store_true",
                        help="print every measured query (time, rows, parameters) to stderr")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print the SQL and plans of the N slowest queries of each kind")
    args = parser.parse_args(argv)
    n_cases = args.cases or (10_000 if args.quick else 100_000)
    reps = args.reps or (50 if args.quick else 100)

    folder = isolated_environment()

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results: dict[str, dict] = {}
    worlds: dict[str, World] = {}
    plans: list[str] = []
    worst: list[str] = []
    failed: dict[str, str] = {}
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        for backend in backends:
            log(f"[{backend}] {n_cases:,} cases, {reps} queries per kind")
            database = (sqlite_database(folder) if backend == "sqlite"
                        else postgres_database())
            try:
                with database as url:
                    worlds[backend] = fill(url, n_cases, args.seed, backend)
                    samples = measure(url, worlds[backend], reps, args.seed, backend)
                    results[backend] = summarise(samples)
                    if args.samples:
                        for s in samples:
                            log(f"  {s.ms:7.1f} ms {s.kind:8} {s.total:>6} rows  {s.label}")
                    worst += [f"{backend}:", *slowest(samples)]
                    if args.explain:
                        plans += [f"=== {backend}", *explain(url, samples, args.explain)]
            except (ServerUnavailable, subprocess.CalledProcessError) as exc:
                log(f"  {backend} unavailable: {exc}")
                failed[backend] = str(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    if plans:
        print("\n".join(plans) + "\n")
    load_end = os.getloadavg()[0]
    print(table(results, worlds))
    print(f"Load average (1 min) of this machine: {load_start:.1f} at the start, "
          f"{load_end:.1f} at the end, on {os.cpu_count()} CPUs.\n")
    print("Slowest queries:")
    print("\n".join(worst) + "\n")
    figures: dict[str, Any] = {"cases": n_cases, "reps": reps, "per_page": PER_PAGE,
                               "goal_p95_ms": GOAL_MS}
    for backend, summary in results.items():
        prefix = "postgres" if backend == "postgres" else "sqlite"
        for key, s in summary.items():
            name = key.replace("/", "_")
            figures[f"{prefix}_{name}_p50_ms"] = round(s["p50"], 2)
            figures[f"{prefix}_{name}_p95_ms"] = round(s["p95"], 2)
            if key in KINDS:
                figures[f"{prefix}_{name}_count_p50_ms"] = round(s["count_p50"], 2)
        figures[f"{prefix}_fill_s"] = round(worlds[backend].fill_seconds, 1)
        figures.update({f"{prefix}_{t}_rows": n for t, n in worlds[backend].rows.items()
                        if t != "case_file"})
    figures.update({f"{'postgres' if b == 'postgres' else b}_error": e
                    for b, e in failed.items()})
    figures["ok"] = not failed and all(s["p95"] < GOAL_MS for summary in results.values()
                                       for k, s in summary.items() if k in KINDS)
    figures.update(cpus=os.cpu_count(), load_avg_start=round(load_start, 2),
                   load_avg_end=round(load_end, 2),
                   seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(figures, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
