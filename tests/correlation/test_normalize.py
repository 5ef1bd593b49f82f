"""Normalisation of every kind of identifier: pure functions, no database."""

from __future__ import annotations

import pytest

from anice.correlation import normalize as n
from anice.correlation.extract import identifiers_of
from anice.models import IdentifierKind as K


def test_seller_names_fold_like_marks():
    assert n.seller_name("Watch King") == n.seller_name("WATCH-KING official store")
    assert n.seller_name("Wätch  Kíng!!") == n.seller_name("watch king")
    assert n.seller_name("ab") is None


def test_seller_ids_are_scoped_by_platform():
    assert n.seller_id("shopee", " @WatchKing88 ") == "shopee:watchking88"
    assert n.seller_id("lazada", "watchking88") != n.seller_id("shopee", "watchking88")
    assert n.seller_id("shopee", "  ") is None


@pytest.mark.parametrize("raw, canonical, domain", [
    ("https://www.Shop.Example.co.th/item/12/?utm_source=fb&fbclid=x&color=red#top",
     "shop.example.co.th/item/12?color=red", "example.co.th"),
    ("http://shop.example.co.th:80/item/12", "shop.example.co.th/item/12", "example.co.th"),
    ("shop.example.co.th/item/12?b=2&a=1", "shop.example.co.th/item/12?a=1&b=2",
     "example.co.th"),
    ("https://shopee.com.my/watchking88?sp_atk=abc", "shopee.com.my/watchking88", None),
    ("https://m.facebook.com/watchking", "facebook.com/watchking", None),
    ("http://203.0.113.7/shop", "203.0.113.7/shop", None),
])
def test_urls_canonical_form_and_registrable_domain(raw, canonical, domain):
    assert n.url(raw) == (canonical, domain)


def test_url_garbage_and_long_values():
    assert n.url("") is None
    assert n.url("http://[bad") is None
    long = n.url("https://example.com/" + "a" * 400)
    assert long[0].startswith("sha256:") and len(long[0]) == 71


def test_emails():
    assert n.email(" Seller@Example.COM ") == "seller@example.com"
    assert n.email("watch.king+shop@gmail.com") == n.email("WatchKing@googlemail.com")
    assert n.email("not an address") is None
    assert n.emails_in("write to a@b.co or B@C.org now") == ["a@b.co", "b@c.org"]


def test_phones_in_e164_with_the_country_rules():
    assert n.phone("012-345 6789", "MY") == "+60123456789"
    assert n.phone("+60 12 345 6789", "TH") == "+60123456789"
    assert n.phone("081 234 5678", "TH") == "+66812345678"
    assert n.phone("12345", "MY") is None
    assert n.phones_in("WhatsApp 012-345 6789 or +66 81 234 5678", "MY") == [
        "+60123456789", "+66812345678"]


def test_shipments_plates_companies_rights():
    assert n.container("mscu 123456-6") == "MSCU1234566"
    assert n.container("MSCX1234565") is None  # category letter must be U, J or Z
    assert n.airway_bill("157-1234 5675") == "157-12345675"
    assert n.airway_bill("157-1234") is None
    assert n.vehicle_plate("wxy 1234", "MY") == "MY:WXY1234"
    assert n.company_number("2019-0101 2345", "MY") == "MY:201901012345"
    assert n.right("my", "TM 2019/001234") == "MY:TM2019001234"


def test_person_identifiers_are_keyed_hashes():
    key, other_key = b"k" * 32, b"j" * 32
    a = n.keyed_hash(key, K.PASSPORT, n.person_number("a1234 567"))
    assert a == n.keyed_hash(key, K.PASSPORT, "A1234567")
    assert a != n.keyed_hash(other_key, K.PASSPORT, "A1234567")
    assert a != n.keyed_hash(key, K.NATIONAL_ID, "A1234567")
    assert "A1234567" not in a and len(a) == 64


def test_value_of_a_typed_lookup():
    key = b"k" * 32
    assert n.value_of(K.PHONE, "012 345 6789", country="MY") == "+60123456789"
    assert n.value_of(K.SELLER_ID, "x1", country="MY") is None  # needs a platform
    assert n.value_of(K.SELLER_ID, "X1", country="MY", platform="lazada") == "lazada:x1"
    assert n.value_of(K.DOMAIN, "https://a.example.com/x", country="MY") == "example.com"
    assert n.value_of(K.PASSPORT, "A1234567", country="MY", key=key) == n.keyed_hash(
        key, K.PASSPORT, "A1234567")
    assert n.value_of(K.RIGHT, "MY:TM1", country="MY") == "MY:TM1"


class Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_extract_reads_suspects_listings_seizures_and_confirmed_rights():
    case = Obj(country_code="MY", listings=[Obj(
        id=1, platform="shopee", seller_name="Watch King", seller_id="watchking88",
        url="https://shopee.com.my/watchking88", seller_phone="012-345 6789")],
        parties=[Obj(id=2, role="suspect", kind="person", name="Ah Seng", nationality="MY",
                     id_number="900101-14-5678", passport_number="A1234567", phone=None,
                     email="ah.seng@gmail.com", contact="tel 013-222 3333"),
                 Obj(id=3, role="right_holder", kind="company", name="Rolex SA",
                     nationality="CH", id_number="CHE-1", passport_number=None,
                     phone="+41 22 302 2200", email=None, contact=None)],
        seizures=[Obj(id=4, container_number="MSCU1234566", airway_bill=None,
                      vehicle_plate="WXY 1234")])
    found = identifiers_of(case, b"k" * 32, [(9, "MY", "TM1")])
    kinds = {k for k, _ in found}
    assert kinds == {K.SELLER_NAME, K.SELLER_ID, K.URL, K.PHONE, K.NATIONAL_ID, K.PASSPORT,
                     K.EMAIL, K.CONTAINER, K.VEHICLE_PLATE, K.RIGHT}
    assert (K.PHONE, "+60132223333") in found and (K.PHONE, "+60123456789") in found
    assert found[(K.SELLER_ID, "shopee:watchking88")] == "listing:1"
    assert not any("Rolex" in v or "+41" in v for _, v in found)  # right holders do not link
    assert not any("A1234567" in v or "900101" in v for _, v in found)
