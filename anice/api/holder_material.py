"""/api/v1/holder/...: a right holder's brand-protection system keeps its contacts, guides
(with images) and recordations (with documents); /api/v1/rights/<id>/holders: officers
read a right's holders' material. Holder endpoints are named ``holder_*`` (the holder
guard lets those in); an officer calling them gets 404, as for any page not its own."""

from __future__ import annotations

from flask import Response, jsonify, request, stream_with_context, url_for
from flask_babel import gettext

from .. import db
from ..errors import Invalid, ServiceUnavailable
from ..evidence.transfer import CHUNK, SEALED_FILE_CSP, attachment
from ..holders import files, guides, material
from ..rights import service as rights_service
from . import actor, api_view, bp, idempotent
from .schemas import dump, dump_list
from .schemas.holder_material import (
    ContactIn,
    ContactOut,
    GuideCreate,
    GuideOut,
    GuideUpdate,
    HolderFileOut,
    RecordationIn,
    RecordationOut,
    RightHolder,
    VersionIn,
)
from .spec import BINARY, ERRORS, UPLOAD_ERRORS, doc, query

CONFLICT = (*ERRORS, 409)
UPLOAD_QUERY = [query("filename", {"type": "string"}, "the file's name (its type is read "
                                                      "from the content)"),
                query("caption", {"type": "string", "maxLength": 300})]
TAG = "holder material"


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    return body


def _when(value) -> str | None:
    return value.isoformat() if value else None


def contact_json(c) -> dict:
    return {"id": c.id, "country": c.country_code, "name": c.name, "role": c.role,
            "email": c.email, "phone": c.phone, "hours": c.hours,
            "languages": [x for x in (c.languages or "").split(",") if x],
            "updated_at": c.updated_at.isoformat()}


def file_json(f) -> dict:
    return {"id": f.public_id, "name": f.original_name, "media_type": f.media_type,
            "size": f.size, "sha256": f.sha256, "caption": f.caption,
            "uploaded_at": f.uploaded_at.isoformat(),
            "content": url_for("api.holder_file_content", public_id=f.public_id)}


def guide_json(g) -> dict:
    return {"id": g.id, "title": g.title, "product": g.product,
            "rights": sorted(r.right_id for r in g.rights),
            **{k: getattr(g, k) for k in ("genuine_features", "counterfeit_features",
                                          "packaging", "checks", "usual_prices")},
            "distributors": [{"country": d.country_code, "name": d.name,
                              "licensee": d.licensee, "contact": d.contact}
                             for d in g.distributors],
            "images": [file_json(f) for f in guides.guide_images(db.session(), g)],
            "version": g.version, "updated_at": g.updated_at.isoformat(),
            "withdrawn_at": _when(g.withdrawn_at)}


def recordation_json(r) -> dict:
    return {"id": r.id, "right": r.right_id, "country": r.country_code,
            "authority": r.authority.value, "number": r.number,
            "valid_from": r.valid_from.isoformat(), "valid_until": _when(r.valid_until),
            "expired": material.is_expired(r), "notes": r.notes,
            "documents": [file_json(f) for f in
                          material.recordation_documents(db.session(), r)],
            "withdrawn_at": _when(r.withdrawn_at)}


# --- contacts ------------------------------------------------------------------------

@bp.get("/holder/contacts")
@doc("The holder's enforcement contacts, per member state", TAG, ok=[ContactOut])
@api_view
def holder_contacts():
    return jsonify(dump_list(ContactOut, [
        contact_json(c) for c in material.my_contacts(db.session(), actor())]))


@bp.post("/holder/contacts")
@doc("Add an enforcement contact", TAG, body=ContactIn, ok=ContactOut, status=201)
@idempotent
@api_view
def holder_add_contact():
    contact = material.add_contact(db.session(), actor(), _body())
    return jsonify(dump(ContactOut, contact_json(contact))), 201


@bp.put("/holder/contacts/<int:contact_id>")
@doc("Replace an enforcement contact", TAG, body=ContactIn, ok=ContactOut)
@api_view
def holder_update_contact(contact_id: int):
    contact = material.update_contact(db.session(), actor(), contact_id, _body())
    return jsonify(dump(ContactOut, contact_json(contact)))


@bp.delete("/holder/contacts/<int:contact_id>")
@doc("Remove an enforcement contact", TAG, status=204)
@api_view
def holder_remove_contact(contact_id: int):
    material.remove_contact(db.session(), actor(), contact_id)
    return "", 204


# --- guides --------------------------------------------------------------------------

@bp.get("/holder/guides")
@doc("The holder's product identification guides (withdrawn ones too)", TAG, ok=[GuideOut])
@api_view
def holder_guides():
    return jsonify(dump_list(GuideOut, [
        guide_json(g) for g in guides.my_guides(db.session(), actor())]))


@bp.post("/holder/guides")
@doc("Write a product identification guide for some of the holder's rights", TAG,
     body=GuideCreate, ok=GuideOut, status=201)
@idempotent
@api_view
def holder_create_guide():
    guide = guides.create_guide(db.session(), actor(), _body())
    return jsonify(dump(GuideOut, guide_json(guide))), 201


@bp.get("/holder/guides/<int:guide_id>")
@doc("One guide of the holder", TAG, ok=GuideOut)
@api_view
def holder_guide(guide_id: int):
    guide = guides.my_guide(db.session(), actor(), guide_id)
    return jsonify(dump(GuideOut, guide_json(guide)))


@bp.put("/holder/guides/<int:guide_id>")
@doc("Replace a guide (send the version you read: 409 if someone saved since)", TAG,
     body=GuideUpdate, ok=GuideOut, errors=CONFLICT)
@api_view
def holder_update_guide(guide_id: int):
    guide = guides.update_guide(db.session(), actor(), guide_id, _body())
    return jsonify(dump(GuideOut, guide_json(guide)))


@bp.post("/holder/guides/<int:guide_id>/withdraw")
@doc("Withdraw a guide: officers no longer see it; it stays in the holder's record", TAG,
     body=VersionIn, ok=GuideOut, errors=CONFLICT)
@api_view
def holder_withdraw_guide(guide_id: int):
    guide = guides.withdraw_guide(db.session(), actor(), guide_id, _body().get("version"))
    return jsonify(dump(GuideOut, guide_json(guide)))


def _receive(intake) -> None:
    """Stream the raw body into the intake; nothing stays stored if it is cut off."""
    try:
        while chunk := request.stream.read(CHUNK):
            intake.write(chunk)
    except (Invalid, ServiceUnavailable):
        intake.discard()
        raise
    except Exception:  # noqa: BLE001 - a cut-off body: nothing may stay stored
        intake.discard()
        raise Invalid("body", gettext("the upload was cut off before it ended; nothing was kept"))
    if request.content_length is not None and intake.size != request.content_length:
        intake.discard()
        raise Invalid("body", gettext("the upload was cut off before it ended; nothing was kept"))


@bp.post("/holder/guides/<int:guide_id>/images")
@doc("Add an image to a guide: the body is the image (JPEG, PNG or WebP, read from the "
     "content), sealed and hashed at intake", TAG, ok=HolderFileOut, status=201,
     query=UPLOAD_QUERY, body_content={"application/octet-stream": {"schema": BINARY}},
     errors=UPLOAD_ERRORS)
@idempotent
@api_view
def holder_upload_guide_image(guide_id: int):
    request.max_content_length = files.max_bytes() + 1
    guides.editable_guide(db.session(), actor(), guide_id)  # 404 before a byte is read
    intake = files.start_intake()
    _receive(intake)
    item = files.add_guide_image(db.session(), actor(), guide_id, intake,
                                 request.args.get("filename"), request.args.get("caption"))
    return jsonify(dump(HolderFileOut, file_json(item))), 201


@bp.delete("/holder/files/<public_id>")
@doc("Remove an image or document (its key is destroyed)", TAG, status=204)
@api_view
def holder_remove_file(public_id: str):
    files.remove_file(db.session(), actor(), public_id)
    return "", 204


@bp.get("/holder/files/<public_id>/content")
@doc("A guide image or recordation document, decrypted (the holder's own; officers read "
     "every holder's)", TAG, content={"*/*": {"schema": BINARY}})
def holder_file_content(public_id: str) -> Response:
    item, stream = files.read_file(db.session(), actor(), public_id)
    return attachment(item, stream_with_context(stream))


holder_file_content.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


# --- recordations --------------------------------------------------------------------

@bp.get("/holder/recordations")
@doc("The holder's recordations and applications for action (withdrawn ones too)", TAG,
     ok=[RecordationOut])
@api_view
def holder_recordations():
    return jsonify(dump_list(RecordationOut, [
        recordation_json(r) for r in material.my_recordations(db.session(), actor())]))


@bp.post("/holder/recordations")
@doc("Record an application for action with a member state's customs, police or other "
     "authority", TAG, body=RecordationIn, ok=RecordationOut, status=201)
@idempotent
@api_view
def holder_create_recordation():
    found = material.create_recordation(db.session(), actor(), _body())
    return jsonify(dump(RecordationOut, recordation_json(found))), 201


@bp.put("/holder/recordations/<int:recordation_id>")
@doc("Replace a recordation", TAG, body=RecordationIn, ok=RecordationOut)
@api_view
def holder_update_recordation(recordation_id: int):
    found = material.update_recordation(db.session(), actor(), recordation_id, _body())
    return jsonify(dump(RecordationOut, recordation_json(found)))


@bp.post("/holder/recordations/<int:recordation_id>/withdraw")
@doc("Withdraw a recordation: officers no longer see it", TAG, ok=RecordationOut,
     body_required=False)
@api_view
def holder_withdraw_recordation(recordation_id: int):
    found = material.withdraw_recordation(db.session(), actor(), recordation_id)
    return jsonify(dump(RecordationOut, recordation_json(found)))


@bp.post("/holder/recordations/<int:recordation_id>/documents")
@doc("Add a document to a recordation (PDF or image): the body is the file", TAG,
     ok=HolderFileOut, status=201, query=UPLOAD_QUERY,
     body_content={"application/octet-stream": {"schema": BINARY}}, errors=UPLOAD_ERRORS)
@idempotent
@api_view
def holder_upload_recordation_document(recordation_id: int):
    request.max_content_length = files.max_bytes() + 1
    material.editable_recordation(db.session(), actor(), recordation_id)
    intake = files.start_intake()
    _receive(intake)
    item = files.add_recordation_document(db.session(), actor(), recordation_id, intake,
                                          request.args.get("filename"),
                                          request.args.get("caption"))
    return jsonify(dump(HolderFileOut, file_json(item))), 201


# --- officers ------------------------------------------------------------------------

@bp.get("/rights/<int:right_id>/holders")
@doc("The holders standing linked to a right and what they keep for officers: contacts "
     "(the officer's country first), recordations of every country, guides", "rights",
     ok=[RightHolder])
@api_view
def right_holders(right_id: int):
    right = rights_service.get_right(db.session(), actor(), right_id)
    return jsonify(dump_list(RightHolder, [
        {"org": h.link.org_id, "name": h.link.org.name, "capacity": h.link.capacity.value,
         "holder_name": h.link.holder_name,
         "contacts": [contact_json(c) for c in h.contacts],
         "recordations": [recordation_json(r) for r in h.recordations],
         "guides": [{"id": g.id, "title": g.title, "product": g.product,
                     "page": url_for("holders.guide", guide_id=g.id)} for g in h.guides]}
        for h in material.material_of_right(db.session(), actor(), right.id)]))
