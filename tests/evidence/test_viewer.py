"""The evidence viewer, and custody: one event per real access to content, none per page
render, intake recorded once."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from anice.evidence import service
from anice.models import Evidence

from ..cases.helpers import new_case
from .test_derived import jpeg_with_exif
from .test_service import upload

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="poppler-utils not installed")
TITLE_MARKER = "ANICE-PDF-TITLE-MARKER-51c2"
PAGE_COLOURS = [(0.9, 0.1, 0.1), (0.1, 0.6, 0.1), (0.1, 0.1, 0.9)]


def three_page_pdf() -> bytes:
    """A real PDF of three pages, each its own colour and text (ReportLab)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(TITLE_MARKER)
    for number, colour in enumerate(PAGE_COLOURS, start=1):
        pdf.setFillColorRGB(*colour)
        pdf.rect(50, 300, 500, 400, fill=1, stroke=0)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", 28)
        pdf.drawString(72, 760, f"Seizure inventory, page {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def officer_case(db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    return inv, case


def uploaded(client, db, case, data: bytes, name: str) -> Evidence:
    assert upload(client, case.id, data, name=name).status_code == 302
    db.expire_all()
    return db.scalar(select(Evidence).order_by(Evidence.id.desc()))


def actions(db, ev) -> list[str]:
    db.expire_all()
    return [e.action.value for e in service.custody_of(db, ev)]


@pytest.mark.parametrize("maker, name", [(jpeg_with_exif, "raid.jpg"),
                                         (three_page_pdf, "inventory.pdf")])
def test_upload_records_exactly_one_intake_event(client, db, officer_case, maker, name):
    inv, case = officer_case
    ev = uploaded(client, db, case, maker(), name)
    events = service.custody_of(db, ev)
    # The derivative job ran (synchronously in tests) and recorded no "view by system".
    assert [(e.action.value, e.actor_id) for e in events] == [("intake", inv.id)]


def test_opening_the_evidence_and_viewer_pages_records_nothing(client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "raid.jpg")
    for _ in range(5):
        page = client.get(f"/evidence/{ev.public_id}")
        assert page.status_code == 200
        assert f'href="/evidence/{ev.public_id}/view"' in page.data.decode()
    for _ in range(3):
        assert client.get(f"/evidence/{ev.public_id}/view").status_code == 200
    assert actions(db, ev) == ["intake"]


def test_fetching_the_image_preview_records_one_view(client, db, officer_case):
    inv, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "raid.jpg")
    viewer = client.get(f"/evidence/{ev.public_id}/view").data.decode()
    assert f'src="/evidence/{ev.public_id}/preview"' in viewer
    assert ev.sha256 in viewer and "/static/js/viewer.js" in viewer
    assert "<style" not in viewer and "style=" not in viewer  # the CSP forbids inline style
    preview = client.get(f"/evidence/{ev.public_id}/preview")
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg"
    assert preview.headers["Cache-Control"] == "no-store"
    assert preview.data == jpeg_with_exif()
    events = service.custody_of(db, ev)
    assert [e.action.value for e in events] == ["intake", "view"]
    assert events[1].actor_id == inv.id and events[1].details == {"preview": "image"}


@needs_poppler
def test_pdf_is_rendered_page_by_page_each_page_served_one_event(client, db,
                                                                 officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, three_page_pdf(), "inventory.pdf")
    first = client.get(f"/evidence/{ev.public_id}/view").data.decode()
    assert "Page 1 of 3" in first and "Next page" in first and "Previous page" not in first
    assert f'src="/evidence/{ev.public_id}/pages/1.png"' in first
    last = client.get(f"/evidence/{ev.public_id}/view?page=3").data.decode()
    assert "Page 3 of 3" in last and "Previous page" in last and "Next page" not in last
    assert "Page 3 of 3" in client.get(f"/evidence/{ev.public_id}/view?page=99").data.decode()
    for bad in ("abc", "\u00b2", "-1"):  # "²" passes isdigit() but not int(): was a 500
        refused = client.get(f"/evidence/{ev.public_id}/view", query_string={"page": bad})
        assert refused.status_code == 422, bad
        assert "must be a whole number" in refused.data.decode(), bad
    assert actions(db, ev) == ["intake"]

    colours = []
    for number in (1, 2, 3):
        page = client.get(f"/evidence/{ev.public_id}/pages/{number}.png")
        assert page.status_code == 200 and page.mimetype == "image/png"
        assert page.headers["Cache-Control"] == "no-store"
        with Image.open(io.BytesIO(page.data)) as image:
            assert image.format == "PNG" and max(image.size) == 1600
            colours.append(image.convert("RGB").getpixel((image.width // 2,
                                                          image.height // 2)))
    # Each page is its own: red, green, blue in the middle of the page.
    assert [max(range(3), key=lambda i, c=c: c[i]) for c in colours] == [0, 1, 2]
    events = service.custody_of(db, ev)
    assert [e.action.value for e in events] == ["intake", "view", "view", "view"]
    assert [e.details.get("page") for e in events[1:]] == [1, 2, 3]
    assert client.get(f"/evidence/{ev.public_id}/pages/4.png").status_code == 404
    assert len(service.custody_of(db, ev)) == 4


@needs_poppler
def test_rendering_leaves_no_plaintext_on_disk(app, client, db, officer_case):
    _, case = officer_case
    before = set(Path(tempfile.gettempdir()).glob("*"))
    ev = uploaded(client, db, case, three_page_pdf(), "inventory.pdf")
    client.get(f"/evidence/{ev.public_id}/view")
    assert client.get(f"/evidence/{ev.public_id}/pages/2.png").status_code == 200
    roots = [Path(app.config["DATA_DIR"])] + [p for p in Path(tempfile.gettempdir()).glob("*")
                                              if p not in before]
    for root in roots:
        for path in (root.rglob("*") if root.is_dir() else [root]):
            if path.is_file():
                content = path.read_bytes()
                assert TITLE_MARKER.encode() not in content, f"plaintext in {path}"
                assert not content.startswith(b"\x89PNG"), f"a page image in {path}"


def test_other_types_show_facts_and_download_only(client, db, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, b"Seller chat log, 2026-10-02\n" * 50, "chat.txt")
    viewer = client.get(f"/evidence/{ev.public_id}/view").data.decode()
    assert ev.sha256 in viewer and "text/plain" in viewer
    assert f'href="/evidence/{ev.public_id}/download"' in viewer and "<img" not in viewer
    assert client.get(f"/evidence/{ev.public_id}/preview").status_code == 404
    assert client.get(f"/evidence/{ev.public_id}/pages/1.png").status_code == 404
    assert actions(db, ev) == ["intake"]


def test_outsiders_get_404_and_leave_no_event(client, db, make, auth, officer_case):
    _, case = officer_case
    ev = uploaded(client, db, case, jpeg_with_exif(), "raid.jpg")
    auth.logout()
    auth.login(make.officer(country="TH"))
    for suffix in ("view", "preview", "pages/1.png"):
        assert client.get(f"/evidence/{ev.public_id}/{suffix}").status_code == 404
    auth.logout()
    for suffix in ("view", "preview", "pages/1.png"):
        assert client.get(f"/evidence/{ev.public_id}/{suffix}").status_code in (302, 401)
    assert actions(db, ev) == ["intake"]


def test_a_referral_receiver_views_what_was_shared_only(db, make):
    from anice.errors import NotFound
    from anice.evidence import viewer

    from ..referrals.helpers import accepted, world

    w = world(db, make)
    accepted(db, w)
    shared, unshared = w.evidence[0], w.evidence[1]
    shown = viewer.viewing(db, w.inv_th, shared.public_id)
    assert shown.evidence.id == shared.id and shown.kind in ("pdf", "other")
    with pytest.raises(NotFound):
        viewer.viewing(db, w.inv_th, unshared.public_id)
    with pytest.raises(NotFound):
        viewer.image_preview(db, w.inv_th, shared.public_id)  # a PDF has no image preview
    assert [e.action.value for e in service.custody_of(db, shared)
            if e.actor_id == w.inv_th.id] == []
