"""Normalise identifiers so that the same seller, address or shipment compares equal.

Pure functions on plain strings: no database, no network. Each returns None for a value
that is empty or does not have the shape of its kind (it then links nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import phonenumbers
from publicsuffixlist import PublicSuffixList

from ..models.correlation import IdentifierKind
from ..text.brand import normalize as mark_key

K = IdentifierKind
MAX_VALUE = 255

# Query parameters that say where a click came from, not what the page is.
TRACKING_PARAMS = frozenset("""
fbclid gclid gclsrc dclid gbraid wbraid msclkid yclid twclid ttclid igshid igsh mibextid
mc_cid mc_eid _ga _gl ref ref_src ref_url referrer spm scm sp_atk xptdk si share_id
share_app_id share_link_id sharer_id is_from_webapp sender_device tt_from smtt af_id
utm_id trk trkinfo campaign_id ad_id adset_id s_id share_source shared_from source_type
""".split())
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "_hs", "itm_")
# Host labels in front of a site's name that do not change the site.
HOST_PREFIXES = ("www.", "m.", "mobile.", "web.")
# Registrable domains whose first label is one of these are marketplaces, social networks or
# messengers: the domain is shared by every seller on them (their pages still link by URL).
PLATFORM_LABELS = frozenset("""
shopee lazada tokopedia tiktok facebook fb instagram carousell zalora bukalapak telegram t
whatsapp wa line youtube youtu google goo twitter x amazon ebay alibaba aliexpress taobao
tmall blibli tiki sendo qoo10 shopify wechat weixin zalo linktr linktree bit tinyurl
""".split())

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,24}")
CONTAINER = re.compile(r"^[A-Z]{3}[UJZ]\d{7}$")
NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def _cap(value: str) -> str:
    """Values longer than the column are compared by their SHA-256."""
    if len(value) <= MAX_VALUE:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def alnum_upper(raw: str | None) -> str:
    return NON_ALNUM.sub("", raw or "").upper()


def seller_name(raw: str | None) -> str | None:
    """A seller, shop or company name, folded as marks are (scripts, look-alikes, generic
    words such as 'official store')."""
    key = mark_key(raw or "")
    return _cap(key) if len(key) >= 3 else None


def seller_id(platform: str, raw: str | None) -> str | None:
    """A marketplace's own seller id: only equal on the same platform."""
    handle = re.sub(r"\s+", "", (raw or "").strip().lstrip("@")).casefold()
    return _cap(f"{platform}:{handle}") if handle else None


@lru_cache(maxsize=1)
def _psl():
    # The list bundled with the package: never fetched at run time.

    return PublicSuffixList()


def _host(raw_host: str) -> str | None:
    host = (raw_host or "").strip().rstrip(".").lower()
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    return host


def _path(raw_path: str) -> str:
    path = quote(unquote(raw_path or ""), safe="/:@!$&'()*+,;=-._~")
    path = re.sub(r"/{2,}", "/", path).rstrip("/")
    return path


def url(raw: str | None) -> tuple[str, str | None] | None:
    """(canonical address, registrable domain or None) of a web address.

    The scheme, ``www.``, default ports, the fragment, trailing slashes and tracking
    parameters go; the other parameters are sorted.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = _host(parts.hostname or "")
    if host is None:
        return None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    params = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                    if k.lower() not in TRACKING_PARAMS
                    and not k.lower().startswith(TRACKING_PREFIXES))
    canonical = netloc + _path(parts.path) + ("?" + urlencode(params) if params else "")
    return _cap(canonical), domain_of(host)


def domain_of(host: str) -> str | None:
    """The registrable domain (e.g. ``shop.example.co.th`` -> ``example.co.th``), unless it is
    an IP address or a platform every seller shares."""
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return None
    domain = _psl().privatesuffix(host)
    if not domain or domain.split(".")[0] in PLATFORM_LABELS:
        return None
    return domain


def email(raw: str | None) -> str | None:
    text = (raw or "").strip().lower()
    if not EMAIL.fullmatch(text):
        return None
    local, _, domain = text.partition("@")
    if domain in ("gmail.com", "googlemail.com"):
        # Gmail ignores dots and everything after '+': one mailbox, many spellings.
        local, domain = local.split("+", 1)[0].replace(".", ""), "gmail.com"
    return _cap(f"{local}@{domain}")


def emails_in(text: str | None) -> list[str]:
    return [e for e in (email(m) for m in EMAIL.findall(text or "")) if e]


def phone(raw: str | None, region: str) -> str | None:
    """E.164 (``+60123456789``), read with the rules of ``region`` when no country code."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_in(text: str | None, region: str) -> list[str]:
    """Every valid phone number written in a free text (a contact line, a note)."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text or "", region):
        found.append(phonenumbers.format_number(match.number,
                                                phonenumbers.PhoneNumberFormat.E164))
    return found


def company_number(raw: str | None, country: str) -> str | None:
    number = alnum_upper(raw)
    return f"{country}:{number}" if len(number) >= 4 else None


def person_number(raw: str | None) -> str | None:
    """A national id or passport number as compared (before hashing)."""
    number = alnum_upper(raw)
    return number if len(number) >= 5 else None


def keyed_hash(key: bytes, kind: IdentifierKind, normalised: str) -> str:
    """HMAC-SHA256 of a person identifier: equal values give equal hashes, and without the
    key the value cannot be recovered or tested by guessing."""
    return hmac.new(key, f"{kind.value}|{normalised}".encode(), hashlib.sha256).hexdigest()


def container(raw: str | None) -> str | None:
    """An ISO 6346 container number: owner code, category letter, 6 digits, check digit."""
    number = alnum_upper(raw)
    return number if CONTAINER.fullmatch(number) else None


def airway_bill(raw: str | None) -> str | None:
    """An air waybill: 3-digit airline prefix and 8-digit serial."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) != 11 or re.search(r"[A-Za-z]", raw or ""):
        return None
    return f"{digits[:3]}-{digits[3:]}"


def vehicle_plate(raw: str | None, country: str) -> str | None:
    plate = alnum_upper(raw)
    return f"{country}:{plate}" if 2 <= len(plate) <= 12 else None


def right(office: str, number: str) -> str:
    return _cap(f"{office.upper()}:{alnum_upper(number)}")


def value_of(kind: IdentifierKind, raw: str, *, country: str, platform: str | None = None,
             key: bytes | None = None) -> str | None:
    """The stored value of one identifier typed by hand (a lookup): None if it is not one."""
    if kind == K.SELLER_NAME:
        return seller_name(raw)
    if kind == K.SELLER_ID:
        return seller_id(platform, raw) if platform else None
    if kind in (K.URL, K.DOMAIN):
        parsed = url(raw)
        if parsed is None:
            return None
        return parsed[0] if kind == K.URL else parsed[1]
    if kind == K.EMAIL:
        return email(raw)
    if kind == K.PHONE:
        return phone(raw, country)
    if kind == K.COMPANY_NUMBER:
        return company_number(raw, country)
    if kind.hashed:
        number = person_number(raw)
        return keyed_hash(key, kind, number) if number and key else None
    if kind == K.CONTAINER:
        return container(raw)
    if kind == K.AIRWAY_BILL:
        return airway_bill(raw)
    if kind == K.VEHICLE_PLATE:
        return vehicle_plate(raw, country)
    if kind == K.RIGHT:
        office, _, number = raw.partition(":")
        return right(office.strip(), number) if len(office.strip()) == 2 and number else None
    return None
