"""The chain of custody of an evidence item as a court-ready PDF with a detached Ed25519
signature.

The PDF is rendered deterministically (reportlab's invariant mode, the creation date taken
from the last custody event it lists), so the same item at the same custody event always
gives the same bytes, and a signature fetched separately (``custody.pdf.sig``) verifies the
PDF downloaded before it.

It is written in the language of whoever asks for it (``language``: the officer's, see
``signed_report``); times stay exact (ISO, UTC and the officer's zone), figures follow the
language's CLDR format. The language is one of the arguments that give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_decimal
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from flask_babel import force_locale, get_locale, gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import CustodyAction, CustodyEvent, Evidence, Officer
from ..pdf import Fonts, draw_line, fonts, markup
from ..text.labels import label
from ..text.locales import N_, officer_language
from . import runtime
from .service import custody_of, get_evidence, record_custody

SIGNING_KEY_NAME = "signing-ed25519.pem"
EXPORT_REASON = "custody report"
# The custody actions in words (the Action column).
ACTIONS = {"intake": N_("Intake"), "view": N_("View"), "download": N_("Download"),
           "export": N_("Export"), "share": N_("Share"), "verify": N_("Verify"),
           "transfer": N_("Transfer"), "disposal": N_("Disposal"),
           "shred": N_("Destroyed (key shredded)"), "rewrap": N_("Key re-wrapped")}
PAGE = landscape(A4)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def utc_text(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "—"


def local_text(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"


def _figure(value: int) -> str:
    found = get_locale()
    return format_decimal(value, "#,##0", locale=str(found) if found else "en")


def details_summary(details: dict | None, limit: int = 400) -> str:
    parts = []
    for key in sorted(details or {}):
        value = details[key]
        if value is None or value == "" or value == {}:
            continue
        if isinstance(value, bool):
            value = gettext("yes") if value else gettext("no")
        elif key == "size" and isinstance(value, int):
            value = _figure(value)
        parts.append(f"{key.replace('_', ' ')}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def status_as_of(evidence: Evidence, events: list[CustodyEvent]) -> str:
    """The item's state at the last listed event (not today's row, which may have moved on)."""
    shred = next((e for e in events if e.action == CustodyAction.SHRED), None)
    state = (gettext("destroyed (crypto-shredded) %(time)s", time=utc_text(shred.at)) if shred
             else gettext("held, encrypted (%(storage)s)", storage=evidence.storage_backend))
    verify = next((e for e in reversed(events) if e.action == CustodyAction.VERIFY), None)
    if verify is not None:
        if verify.details.get("ok"):
            state += gettext("; last verified %(time)s: content matches its SHA-256",
                             time=utc_text(verify.at))
        else:
            state += gettext("; last verified %(time)s: MISMATCH", time=utc_text(verify.at))
    return state


class _Styles:
    """Every style shapes Thai, Lao, Khmer and Burmese runs (anice/pdf/shaping.py)."""

    def __init__(self, f: Fonts) -> None:
        def style(name: str, font: str, size: float, leading: float, **more) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                                  shaping=1, **more)

        self.title = style("title", f.bold, 16, 20, spaceAfter=2 * mm)
        self.h2 = style("h2", f.bold, 11, 14, spaceBefore=4 * mm, spaceAfter=2 * mm)
        self.body = style("body", f.regular, 9, 11.5)
        self.small = style("small", f.regular, 7.5, 9.5)
        self.head = style("head", f.bold, 7.5, 9.5)
        self.label = style("label", f.bold, 9, 11.5)


def _facts(evidence: Evidence, events: list[CustodyEvent], zone: ZoneInfo,
           s: _Styles) -> Table:
    uploader = evidence.uploaded_by
    when = f"{utc_text(evidence.uploaded_at)} ({local_text(evidence.uploaded_at, zone)})"
    received = (markup(gettext("%(time)s by %(name)s <%(email)s>", time=when, name=uploader.name,
                               email=uploader.email)) if uploader
                else markup(gettext("%(time)s by the system", time=when)))
    acquired_at = evidence.acquired_at and (f"{utc_text(evidence.acquired_at)} "
                                            f"({local_text(evidence.acquired_at, zone)})")
    acquired = ", ".join(p for p in (acquired_at, evidence.acquired_where) if p) or "—"
    rows = [(gettext("Case reference"), markup(evidence.case.reference)),
            (gettext("Evidence id"), markup(evidence.public_id)),
            (gettext("Original name"), markup(evidence.original_name)),
            (gettext("Media type"), markup(gettext("%(type)s (detected from the content)",
                                                   type=evidence.media_type))),
            (gettext("Size"), markup(gettext("%(size)s bytes", size=_figure(evidence.size)))),
            ("SHA-256", f'<font name="Courier">{evidence.sha256}</font>'),
            (gettext("Received"), received),
            (gettext("Acquired"), markup(acquired)),
            (gettext("How acquired"), markup(evidence.acquired_how or "—")),
            (gettext("Status"), markup(status_as_of(evidence, events)))]
    table = Table([[Paragraph(markup(k, bold=True), s.label), Paragraph(v, s.body)]
                   for k, v in rows],
                  colWidths=[38 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    return table


CUSTODY_COLUMNS = (("#", 12), (N_("Time (UTC)"), 37), (N_("Time (%(zone)s)"), 37),
                   (N_("Action"), 16), (N_("Actor"), 42), (N_("Address"), 24),
                   (N_("Reason"), 48), (N_("Details"), None))


def action_words(action: CustodyAction) -> str:
    return gettext(ACTIONS.get(action.value) or label(action))


def _custody_table(events: list[CustodyEvent], zone: ZoneInfo, s: _Styles) -> Table:
    head = [Paragraph(markup(gettext(name, zone=zone.key) if "%(zone)s" in name
                             else gettext(name) if name != "#" else name, bold=True), s.head)
            for name, _ in CUSTODY_COLUMNS]
    rows = [head]
    for e in events:
        cells = (str(e.id), utc_text(e.at), local_text(e.at, zone), action_words(e.action),
                 e.actor_label, e.client_addr or "", e.reason or "", details_summary(e.details))
        rows.append([Paragraph(markup(c), s.small) for c in cells])
    widths = [w * mm if w else None for _, w in CUSTODY_COLUMNS]
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")])]))
    return table


def _numbered_canvas(font: str, footer: str):
    """A canvas that writes "page n of N" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, 1):
                self.__dict__.update(state)
                draw_line(self, footer, 15 * mm, 8 * mm, font, 7.5, colors.grey)
                draw_line(self, gettext("Page %(number)s of %(total)s", number=number,
                                        total=total),
                          PAGE[0] - 15 * mm, 8 * mm, font, 7.5, colors.grey, right=True)
                super().showPage()
            super().save()

    return NumberedCanvas


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def custody_pdf(evidence: Evidence, events: list[CustodyEvent], officer: Officer,
                key_fingerprint: str = "", compress: bool = True,
                language: str | None = None) -> bytes:
    """The custody report of ``evidence`` listing ``events``, for ``officer``, in
    ``language`` (else the current locale): the same arguments always give the same bytes."""
    with force_locale(language) if language else nullcontext():
        return _custody_pdf(evidence, events, officer, key_fingerprint, compress)


def _custody_pdf(evidence: Evidence, events: list[CustodyEvent], officer: Officer,
                 key_fingerprint: str, compress: bool) -> bytes:
    f, zone = fonts(), _zone(officer.timezone)
    s = _Styles(f)
    as_of = max(e.at for e in events) if events else evidence.uploaded_at
    upto = max((e.id for e in events), default=0)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
        bottomMargin=16 * mm, invariant=1, pageCompression=1 if compress else 0,
        title=gettext("Chain of custody: %(name)s", name=evidence.original_name),
        author=f"{officer.name} <{officer.email}>", creator="ANICE",
        subject=f"Evidence {evidence.public_id}, case {evidence.case.reference}, "
                f"SHA-256 {evidence.sha256}")
    signature = f"/evidence/{evidence.public_id}/custody.pdf.sig?upto={upto}"
    story = [
        Paragraph(markup(gettext("Chain of custody report"), bold=True), s.title),
        Paragraph(markup(gettext("ANICE, ASEAN IP enforcement case exchange. Case %(case)s, "
                                 "evidence %(name)s", case=evidence.case.reference,
                                 name=evidence.original_name)), s.body),
        Paragraph(markup(gettext("Evidence item"), bold=True), s.h2),
        _facts(evidence, events, zone, s),
        Paragraph(markup(gettext("Custody events (%(count)s), up to event #%(id)s",
                                 count=len(events), id=upto), bold=True), s.h2),
        _custody_table(events, zone, s), Spacer(1, 4 * mm),
        Paragraph(markup(gettext("Report"), bold=True), s.h2),
        Paragraph(markup(gettext(
            "Generated by %(name)s <%(email)s>, %(agency)s. Record as of %(utc)s (%(local)s), "
            "custody event #%(id)s; serving this report is itself recorded as a later export "
            "event.", name=officer.name, email=officer.email, agency=officer.agency.name,
            utc=utc_text(as_of), local=local_text(as_of, zone), id=upto)), s.body),
        Paragraph(markup(
            gettext("Detached Ed25519 signature: %(signature)s; public key %(key)s (SHA-256 of "
                    "the key: %(fingerprint)s). See docs/evidence-encryption.md, Custody "
                    "report.", signature=signature, key="/evidence/signing-key.pem",
                    fingerprint=key_fingerprint) if key_fingerprint
            else gettext("Detached Ed25519 signature: %(signature)s; public key %(key)s. See "
                         "docs/evidence-encryption.md, Custody report.", signature=signature,
                         key="/evidence/signing-key.pem")), s.body)]
    stamp = _pdf_date(as_of)

    def first_page(canvas, _doc) -> None:
        canvas.setDateFormatter(lambda *_: stamp)

    footer = gettext("ANICE custody report · evidence %(id)s · as of event #%(event)s",
                     id=evidence.public_id, event=upto)
    doc.build(story, onFirstPage=first_page,
              canvasmaker=_numbered_canvas(f.regular, footer))
    return out.getvalue()



def signing_key_path() -> Path:
    key_file = Path(current_app.config.get("KEY_FILE") or runtime.default_key_file()).resolve()
    path = key_file.parent / SIGNING_KEY_NAME
    data_dir = Path(current_app.config["DATA_DIR"]).resolve()
    if path.is_relative_to(data_dir):
        raise RuntimeError(f"signing key {path} would be inside the data folder {data_dir}: "
                           "keep keys apart from the data (ANICE_KEY_FILE)")
    return path


def load_signing_key(path: Path, create: bool = True) -> Ed25519PrivateKey:
    """The Ed25519 key in ``path`` (PEM, 0600); created on first use when ``create``."""
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"no signing key at {path}")
        _create_signing_key(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise RuntimeError(f"signing key {path} is readable by others (mode {mode:o}); "
                           "chmod 600 it")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"signing key {path} is not an Ed25519 key")
    return key


def _create_signing_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # a key made by another process at the same time wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def signing_key(create: bool = True) -> Ed25519PrivateKey:
    key = current_app.extensions.get("anice.signing_key")
    if key is None:
        key = load_signing_key(signing_key_path(), create=create)
        current_app.extensions["anice.signing_key"] = key
    return key


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the DER public key, as `openssl pkey -pubin -outform DER | sha256sum`."""
    der = public.public_bytes(serialization.Encoding.DER,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()



@dataclass(frozen=True)
class SignedReport:
    evidence: Evidence
    upto: int
    pdf: bytes
    signature: bytes
    public_key: Ed25519PublicKey

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def key_fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def signature_document(self) -> dict:
        return {"algorithm": "Ed25519",
                "signature": base64.b64encode(self.signature).decode(),
                "public_key_pem": public_pem(self.public_key).decode(),
                "public_key_sha256": self.key_fingerprint,
                "sha256": self.sha256,
                "evidence": self.evidence.public_id, "upto": self.upto}


def latest_custody_id(db: Session, actor: Officer, public_id: str) -> int:
    """The newest custody event of an item the actor may see (the state a report shows)."""
    evidence = get_evidence(db, actor, public_id)
    return max(e.id for e in custody_of(db, evidence))


def signed_report(db: Session, actor: Officer, public_id: str, upto: int,
                  served: bool) -> SignedReport:
    """The signed custody report of an item as it stood at its custody event ``upto``.

    ``served``: the PDF goes out now, so an ``export`` event is recorded (after event
    ``upto``, so the report itself stays the same); the signature alone records nothing.
    """
    evidence = get_evidence(db, actor, public_id)
    events = custody_of(db, evidence)
    if upto not in {e.id for e in events}:
        raise NotFound(gettext("No such custody event for this evidence."))
    events = [e for e in events if e.id <= upto]
    key = signing_key()
    public = key.public_key()
    # In the language of whoever asks: the .sig asked by the same officer signs the same bytes.
    pdf = custody_pdf(evidence, events, actor, key_fingerprint=fingerprint(public),
                      language=officer_language(actor))
    report = SignedReport(evidence, upto, pdf, key.sign(pdf), public)
    if served:
        record_custody(db, evidence, actor, CustodyAction.EXPORT, reason=EXPORT_REASON,
                       details={"report": "custody.pdf", "upto": upto,
                                "report_sha256": report.sha256})
    return report


def verify_report(pdf: bytes, signature_json: str | bytes,
                  trusted_pem: bytes) -> tuple[bool, str]:
    """Check a custody report against its ``.sig`` document and a trusted public key."""
    try:
        doc = json.loads(signature_json)
        trusted = serialization.load_pem_public_key(trusted_pem)
        signature = base64.b64decode(doc["signature"], validate=True)
    except (ValueError, KeyError, TypeError) as exc:
        return False, f"FAILED: unreadable signature file or key ({exc})"
    if not isinstance(trusted, Ed25519PublicKey) or doc.get("algorithm") != "Ed25519":
        return False, "FAILED: not an Ed25519 signature or key"
    if hashlib.sha256(pdf).hexdigest() != doc.get("sha256"):
        return False, ("FAILED: the PDF's SHA-256 differs from the signature file's: it was "
                       "changed, or it is another report")
    named = doc.get("public_key_pem")
    if named and named.encode().strip() != public_pem(trusted).strip():
        return False, "FAILED: the signature file names another signing key than the trusted one"
    try:
        trusted.verify(signature, pdf)
    except InvalidSignature:
        return False, "FAILED: the signature does not verify with the trusted key"
    return True, (f"OK: signature valid; report SHA-256 {doc['sha256']}, key SHA-256 "
                  f"{fingerprint(trusted)}")
