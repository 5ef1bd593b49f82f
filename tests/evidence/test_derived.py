"""Derived data: sealed thumbnails and EXIF facts, decided by content, never by name."""

from __future__ import annotations

import io
import json
import shutil
import struct
import tempfile
import threading
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, TiffImagePlugin
from sqlalchemy import select

from anice.auth import tokens
from anice.crypto.keys import WrappedKey, dek_aad
from anice.crypto.stream import DecryptionError, open_stream
from anice.evidence import derived, runtime, service
from anice.models import DerivativeKind, Evidence, EvidenceDerivative, Officer, Role

from ..cases.helpers import new_case
from .test_service import pdf_bytes, upload

MAKE, MODEL = "ACMECAM-MAKER-4471", "ACMECAM-MODEL-Z9"


def rational(value: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * 100), 100)


def jpeg_with_exif(size=(1200, 800)) -> bytes:
    """A photo taken in Jakarta: 6°12'31.68" S, 106°50'44.16" E."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Model] = MODEL
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:10:02 09:30:15"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (rational(6), rational(12), rational(31.68))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (rational(106), rational(50), rational(44.16))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares an enormous image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def real_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (255, 255, 255)).save(out, format="PDF", title=MAKE)
    return out.getvalue()


@pytest.fixture
def officer_case(db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    return inv, case


def derivatives(db, ev) -> dict:
    db.expire_all()
    return {d.kind: d for d in db.scalars(select(EvidenceDerivative)
                                          .where(EvidenceDerivative.evidence_id == ev.id))}


def plaintext_of(app, row) -> bytes:
    with app.app_context():
        return derived._open(row)


def stored(app, row) -> bytes:
    return (Path(app.config["EVIDENCE_DIR"]) / row.storage_key).read_bytes()


def uploaded(client, db, case, data, name):
    assert upload(client, case.id, data, name=name).status_code == 302
    return db.scalar(select(Evidence).order_by(Evidence.id.desc()))


@pytest.mark.parametrize("name", ["raid-photo.jpg", "IMG_0001"])
def test_jpeg_gets_a_sealed_thumbnail_and_exif(app, client, db, officer_case, name):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), name)
    rows = derivatives(db, ev)
    assert set(rows) == {DerivativeKind.THUMBNAIL, DerivativeKind.EXIF}
    assert rows[DerivativeKind.THUMBNAIL].media_type == "image/png"
    assert rows[DerivativeKind.EXIF].media_type == "application/json"
    facts = json.loads(plaintext_of(app, rows[DerivativeKind.EXIF]))
    assert facts == {"make": MAKE, "model": MODEL, "taken_at": "2026-10-02T09:30:15",
                     "gps": {"lat": -6.2088, "lon": 106.8456}}
    thumb = plaintext_of(app, rows[DerivativeKind.THUMBNAIL])
    with Image.open(io.BytesIO(thumb)) as image:
        assert image.format == "PNG" and image.size == (320, 213)
    assert MAKE.encode() not in thumb  # the thumbnail carries no metadata
    for row in rows.values():
        raw = stored(app, row)
        for secret in (b"\x89PNG", b"IHDR", MAKE.encode(), MODEL.encode(), b"2026:10:02",
                       b"106.8456", b"Exif"):
            assert secret not in raw
    page = client.get(f"/evidence/{ev.public_id}").data.decode()
    assert f"{MAKE} {MODEL}" in page and "-6.2088, 106.8456" in page
    # Not on the evidence page: a served thumbnail is a custody event, a page render is not.
    assert "thumbnail.png" not in page


def test_no_plaintext_or_derived_plaintext_on_disk(app, client, db, officer_case):
    _, case = officer_case
    before = set(Path(tempfile.gettempdir()).glob("*"))
    items = [uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")]
    if shutil.which("pdftoppm"):
        items.append(uploaded(client, db, case, real_pdf(), "report.pdf"))
    secrets = [MAKE.encode()] + [plaintext_of(app, row) for ev in items
                                 for row in derivatives(db, ev).values()]
    assert len(secrets) == 1 + 2 + (len(items) - 1)
    roots = [Path(app.config["DATA_DIR"])] + [p for p in Path(tempfile.gettempdir()).glob("*")
                                              if p not in before]
    for root in roots:
        for path in (root.rglob("*") if root.is_dir() else [root]):
            if path.is_file():
                content = path.read_bytes()
                assert not any(secret in content for secret in secrets), path


def test_a_derived_object_cannot_pass_for_the_original(app, client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    row = derivatives(db, ev)[DerivativeKind.THUMBNAIL]
    with app.app_context():
        ring = runtime.keyring()
        with pytest.raises(DecryptionError):  # its DEK is bound to "<id>:thumbnail"
            ring.unwrap(WrappedKey(row.kek_id, row.dek_wrapped), dek_aad(ev.public_id,
                                                                          row.dek_id))
        dek = ring.unwrap(WrappedKey(row.kek_id, row.dek_wrapped),
                          dek_aad(f"{ev.public_id}:thumbnail", row.dek_id))
    for claimed in (ev.public_id, f"{ev.public_id}:exif"):
        with pytest.raises(DecryptionError):
            list(open_stream(io.BytesIO(stored(app, row)), dek, claimed))
    original = Path(app.config["EVIDENCE_DIR"]) / ev.storage_key
    original.write_bytes(stored(app, row))  # swapped in: the original no longer opens
    assert client.post(f"/evidence/{ev.public_id}/verify").status_code == 302
    db.refresh(ev)
    assert ev.last_verify_ok is False


@pytest.mark.parametrize("data, name", [
    (b"Seized invoice 2026-114, 40 cartons\n" * 50, "IMG_0002"),
    (b"plain notes\n" * 10, "notes.txt"),
    (pdf_bytes(5000), "broken.pdf"),  # PDF by its signature, but no page to render
])
def test_other_or_undecodable_content_gets_nothing(app, client, db, officer_case, data, name):
    _, case = officer_case
    ev = uploaded(client, db, case, data, name)
    assert derivatives(db, ev) == {}
    assert client.get(f"/evidence/{ev.public_id}/thumbnail.png").status_code == 404
    assert [e.action.value for e in service.custody_of(db, ev)] == ["intake"]


def test_decompression_bomb_is_skipped_without_error(app, client, db, officer_case, caplog):
    _, case = officer_case
    ev = uploaded(client, db, case, png_bomb(), "bomb.png")
    assert ev.media_type == "image/png"
    assert derivatives(db, ev) == {}
    assert any("decompression bomb" in getattr(r, "reason", "") for r in caplog.records)
    page = client.get(f"/evidence/{ev.public_id}")
    assert page.status_code == 200 and "thumbnail.png" not in page.data.decode()


def test_large_pixel_count_below_pillows_limit_gets_exif_only(app, client, db, officer_case,
                                                              monkeypatch):
    monkeypatch.setattr(derived, "MAX_PIXELS", 1000 * 700)
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "big.jpg")
    assert set(derivatives(db, ev)) == {DerivativeKind.EXIF}


def test_file_over_the_memory_limit_is_skipped(app, client, db, officer_case, monkeypatch):
    monkeypatch.setattr(derived, "MAX_SOURCE_BYTES", 1000)
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    assert derivatives(db, ev) == {}


def test_viewing_the_thumbnail_is_a_custody_event(client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    response = client.get(f"/evidence/{ev.public_id}/thumbnail.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG") and response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    events = service.custody_of(db, ev)
    # Deriving at intake is no custody event (no "view by system"); serving the thumbnail is.
    assert [e.action.value for e in events] == ["intake", "view"]
    assert events[-1].details == {"derivative": "thumbnail"} and events[-1].actor_id


def test_outsiders_get_404_for_the_thumbnail(client, db, make, auth, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    before = len(service.custody_of(db, ev))
    auth.logout()
    auth.login(make.officer(country="TH"))
    assert client.get(f"/evidence/{ev.public_id}/thumbnail.png").status_code == 404
    auth.logout()
    assert client.get(f"/evidence/{ev.public_id}/thumbnail.png").status_code in (302, 401)
    assert len(service.custody_of(db, ev)) == before


def test_api_upload_makes_derivatives(client, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    created = client.post(f"/api/v1/cases/{case.id}/evidence?filename=p.jpg",
                          data=jpeg_with_exif(), headers={"Authorization": f"Bearer {raw}"})
    assert created.status_code == 201
    ev = db.scalar(select(Evidence))
    assert set(derivatives(db, ev)) == {DerivativeKind.THUMBNAIL, DerivativeKind.EXIF}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_first_page_thumbnail(app, client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, real_pdf(), "report.pdf")
    rows = derivatives(db, ev)
    assert set(rows) == {DerivativeKind.THUMBNAIL}
    with Image.open(io.BytesIO(plaintext_of(app, rows[DerivativeKind.THUMBNAIL]))) as image:
        assert image.format == "PNG" and max(image.size) == 320


def test_the_job_is_idempotent(app, client, db, officer_case):
    from workers.evidence import make_derivatives

    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    with app.app_context():
        assert make_derivatives(ev.id) == {"evidence": ev.public_id, "made": []}
    assert len(derivatives(db, ev)) == 2


def test_rewrap_derivatives_under_a_new_kek(app, client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    with app.app_context():
        ring = runtime.keyring()
        old, new = ring.primary_id(), ring.rotate()
        seen = []
        assert derived.rewrap_derivatives(db, batch=1, progress=seen.append, offset=5) == 2
        assert seen == [6, 7]
        assert derived.derivative_kek_usage(db) == {new: 2}
        ring.retire(old)
    rows = derivatives(db, ev)
    assert {row.kek_id for row in rows.values()} == {new}
    assert client.get(f"/evidence/{ev.public_id}/thumbnail.png").status_code == 200
    rewraps = [e.details for e in service.custody_of(db, ev) if e.action.value == "rewrap"]
    assert sorted(d["derivative"] for d in rewraps) == ["exif", "thumbnail"]
    assert all(d["from"] == old and d["to"] == new for d in rewraps)


def test_shredding_takes_the_derivatives(app, client, db, make, auth, officer_case):
    inv, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    keys = [row.storage_key for row in derivatives(db, ev).values()]
    auth.logout()
    auth.login(make.officer(Role.SUPERVISOR, agency=inv.agency))
    client.post(f"/evidence/{ev.public_id}/shred", data={"reason": "court order 7/2026"})
    assert client.get(f"/evidence/{ev.public_id}/thumbnail.png").status_code == 404
    assert "thumbnail.png" not in client.get(f"/evidence/{ev.public_id}").data.decode()
    with app.app_context():
        db.refresh(ev)
        assert derived.shred_derivatives(db, ev) == 0  # the shredding already took them
        assert not any(runtime.storage().exists(key) for key in keys)
    assert derivatives(db, ev) == {}


def shred_elsewhere(app, supervisor_id: int, public_id: str) -> threading.Thread:
    """The shred service in its own thread and session, as a supervisor's request would."""
    failures = []

    def run():
        from anice import db as anice_db

        try:
            with app.app_context():
                session = anice_db.session()
                service.shred(session, session.get(Officer, supervisor_id), public_id,
                              "court order 9/2026")
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.failures = failures
    thread.start()
    return thread


def not_yet_derived(client, db, make, case, inv):
    """A photo whose derivative job has not run yet, and a supervisor who may shred it."""
    ev = uploaded(client, db, case, jpeg_with_exif(), "photo.jpg")
    derived.shred_derivatives(db, ev)
    supervisor = make.officer(Role.SUPERVISOR, agency=inv.agency)
    db.commit()
    return ev, supervisor


def assert_nothing_derived_survives(app, db, ev):
    db.expire_all()
    assert db.get(Evidence, ev.id).status.value == "shredded"
    assert derivatives(db, ev) == {}
    assert list(runtime.storage().keys("dv/")) == []


def test_a_shred_while_derivatives_are_made_leaves_none(app, client, db, make, officer_case,
                                                        monkeypatch):
    """The shred commits after the job read the plaintext and before it recorded anything."""
    from workers.evidence import make_derivatives

    inv, case = officer_case
    ev, supervisor = not_yet_derived(client, db, make, case, inv)
    decode = derived._from_image

    def decode_then_shred(evidence, content, pil_format):
        outputs = decode(evidence, content, pil_format)
        thread = shred_elsewhere(app, supervisor.id, ev.public_id)
        thread.join()
        assert not thread.failures
        return outputs

    monkeypatch.setattr(derived, "_from_image", decode_then_shred)
    assert make_derivatives(ev.id) == {"evidence": ev.public_id, "made": []}
    assert_nothing_derived_survives(app, db, ev)


def test_a_shred_after_derivatives_were_locked_in_takes_them(app, client, db, make,
                                                             officer_case, monkeypatch):
    """The other order: the job holds the item; the shred waits and then takes its work."""
    from workers.evidence import make_derivatives

    inv, case = officer_case
    ev, supervisor = not_yet_derived(client, db, make, case, inv)
    store, threads = derived._store, []

    def store_with_a_shred_coming(*args):
        if not threads:
            threads.append(shred_elsewhere(app, supervisor.id, ev.public_id))
        return store(*args)

    monkeypatch.setattr(derived, "_store", store_with_a_shred_coming)
    assert make_derivatives(ev.id)["made"] == ["thumbnail", "exif"]
    threads[0].join()
    assert not threads[0].failures
    assert_nothing_derived_survives(app, db, ev)


@pytest.mark.parametrize("dms, ref, expected", [
    ((3, 8, 20.4), "N", 3.139),
    ((101, 41, 12.84), "W", -101.6869),
    ((1, 0), "N", None),
    ((200, 0, 0), "E", None),
    (None, "N", None),
])
def test_degrees(dms, ref, expected):
    assert derived._degrees(dms, ref, "S" if ref in "NS" else "W",
                            90 if ref in "NS" else 180) == expected
