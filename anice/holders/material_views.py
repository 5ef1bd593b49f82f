"""The holder's pages for what it keeps (contacts, guides with images, recordations with
documents), and the guide page and files officers open. Hung on the "holders" blueprint
by ``register(bp)`` (anice/holders/views.py)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from .. import db, policy
from ..errors import Conflict, Invalid
from ..evidence.transfer import SEALED_FILE_CSP, attachment, check_upload_csrf, receive_multipart
from ..extensions import csrf
from ..forms import FormState, submit_once
from ..models import RecordationAuthority
from . import files, material, service
from . import guides as holder_guides


def _me():
    return current_user._get_current_object()


def _form(*lists: str) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in request.form.items() if k != "csrf_token"}
    for name in lists:
        data[name] = request.form.getlist(name)
    return data


def _failed(data: dict, exc: Invalid | Conflict) -> FormState:
    if isinstance(exc, Conflict):
        return FormState(data, message=exc.message)
    return FormState.failed(data, exc)


# --- contacts ------------------------------------------------------------------------

@submit_once(then="holders.contacts")
def contacts():
    me = _me()
    state, status = FormState(), 200
    if request.method == "POST":
        data = _form()
        try:
            material.add_contact(db.session(), me, data)
            db.commit()
            flash(gettext("Contact added."), "info")
            return redirect(url_for("holders.contacts"))
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
    return render_template("holders/_material_contacts.html", state=state,
                           contacts=material.my_contacts(db.session(), me)), status


def edit_contact(contact_id: int):
    me = _me()
    contact = material.get_contact(db.session(), me, contact_id)
    state, status = FormState({"country": contact.country_code, "name": contact.name,
                               "role": contact.role, "email": contact.email,
                               "phone": contact.phone, "hours": contact.hours,
                               "languages": contact.languages}), 200
    if request.method == "POST":
        data = _form()
        try:
            material.update_contact(db.session(), me, contact_id, data)
            db.commit()
            flash(gettext("Contact saved."), "info")
            return redirect(url_for("holders.contacts"))
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
    return render_template("holders/_material_contact_edit.html", contact=contact,
                           state=state), status


def remove_contact(contact_id: int):
    material.remove_contact(db.session(), _me(), contact_id)
    db.commit()
    flash(gettext("Contact removed."), "info")
    return redirect(url_for("holders.contacts"))


# --- guides --------------------------------------------------------------------------

def _guide_input(data: dict[str, Any]) -> dict[str, Any]:
    """The form as the service reads it: distributors typed one per line."""
    return {**data, "distributors": holder_guides.distributor_lines(data.get("distributors"))}


def _guide_form(template: str, state: FormState, status: int, **extra):
    return render_template(template, state=state, **extra,
                           rights=service.my_rights(db.session(), _me())), status


@submit_once(then="holders.guides")
def guides():
    me = _me()
    state, status = FormState(), 200
    if request.method == "POST":
        data = _form("rights")
        try:
            guide = holder_guides.create_guide(db.session(), me, _guide_input(data))
            db.commit()
            flash(gettext("Guide saved. Add its images below."), "info")
            return redirect(url_for("holders.guide", guide_id=guide.id))
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
    return _guide_form("holders/_material_guides.html", state, status,
                       guides=holder_guides.my_guides(db.session(), me))


def guide(guide_id: int, upload: FormState | None = None, status: int = 200):
    me = _me()
    found = holder_guides.get_guide(db.session(), me, guide_id)
    return render_template(
        "holders/_material_guide.html", guide=found, upload=upload or FormState(),
        rights=holder_guides.guide_rights(db.session(), found),
        images=holder_guides.guide_images(db.session(), found),
        can_edit=policy.can_edit_holder_material(me, found.org_id) and not found.withdrawn_at
    ), status


def edit_guide(guide_id: int):
    me = _me()
    found = holder_guides.editable_guide(db.session(), me, guide_id)
    state, status = FormState(holder_guides.guide_values_for_form(found)), 200
    if request.method == "POST":
        data = _form("rights")
        try:
            holder_guides.update_guide(db.session(), me, guide_id, _guide_input(data))
            db.commit()
            flash(gettext("Guide saved."), "info")
            return redirect(url_for("holders.guide", guide_id=guide_id))
        except (Invalid, Conflict) as exc:
            db.session().rollback()
            state = _failed(data, exc)
            status = 409 if isinstance(exc, Conflict) else 422
    return _guide_form("holders/_material_guide_edit.html", state, status, guide=found)


def withdraw_guide(guide_id: int):
    holder_guides.withdraw_guide(db.session(), _me(), guide_id, request.form.get("version"))
    db.commit()
    flash(gettext("Guide withdrawn: officers no longer see it."), "info")
    return redirect(url_for("holders.guides"))


@csrf.exempt  # checked by check_upload_csrf before the body is read (it streams)
@submit_once(streamed=True, then="holders.guides")
def upload_guide_image(guide_id: int):
    me = _me()
    check_upload_csrf()
    holder_guides.editable_guide(db.session(), me, guide_id)  # 404 before a byte is read
    caption = ""
    try:
        intake, form = receive_multipart(None, me, start=files.start_intake)
        caption = form.get("caption", "")
        files.add_guide_image(db.session(), me, guide_id, intake, intake.client_name, caption)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        return guide(guide_id, FormState.failed({"caption": caption}, exc), 422)
    flash(gettext("Image added."), "info")
    return redirect(url_for("holders.guide", guide_id=guide_id))


def remove_file(public_id: str):
    item = files.remove_file(db.session(), _me(), public_id)
    db.commit()
    flash(gettext("File removed."), "info")
    if item.guide_id:
        return redirect(url_for("holders.guide", guide_id=item.guide_id))
    return redirect(url_for("holders.recordations"))


def holder_file(public_id: str):
    """A holder's file, decrypted from the evidence store: images shown inline, PDFs
    downloaded; never run by the browser (sandboxed, nosniff)."""
    item, stream = files.read_file(db.session(), _me(), public_id)
    return attachment(item, stream,
                      disposition="inline" if files.images_inline(item) else "attachment")


holder_file.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


# --- recordations --------------------------------------------------------------------

def _authorities() -> list[tuple[str, str]]:
    """The authority select's (value, label in the reader's language)."""
    return [(a.value, gettext(a.label)) for a in RecordationAuthority]


def _recordations_page(state: FormState, status: int, upload=None):
    me = _me()
    return render_template(
        "holders/_material_recordations.html", state=state, upload=upload or {},
        recordations=material.my_recordations(db.session(), me),
        documents=material.documents_by_recordation(db.session(), me),
        rights=service.my_rights(db.session(), me), authorities=_authorities(),
        today=material.today()), status


@submit_once(then="holders.recordations")
def recordations():
    state, status = FormState(), 200
    if request.method == "POST":
        data = _form()
        try:
            material.create_recordation(db.session(), _me(), data)
            db.commit()
            flash(gettext("Recordation saved."), "info")
            return redirect(url_for("holders.recordations"))
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
    return _recordations_page(state, status)


def edit_recordation(recordation_id: int):
    me = _me()
    found = material.editable_recordation(db.session(), me, recordation_id)
    state, status = FormState(material.recordation_values_for_form(found)), 200
    if request.method == "POST":
        data = _form()
        try:
            material.update_recordation(db.session(), me, recordation_id, data)
            db.commit()
            flash(gettext("Recordation saved."), "info")
            return redirect(url_for("holders.recordations"))
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
    return render_template("holders/_material_recordation_edit.html", recordation=found,
                           state=state, rights=service.my_rights(db.session(), me),
                           authorities=_authorities()), status


def withdraw_recordation(recordation_id: int):
    material.withdraw_recordation(db.session(), _me(), recordation_id)
    db.commit()
    flash(gettext("Recordation withdrawn: officers no longer see it."), "info")
    return redirect(url_for("holders.recordations"))


@csrf.exempt  # checked by check_upload_csrf before the body is read (it streams)
@submit_once(streamed=True, then="holders.recordations")
def upload_recordation_document(recordation_id: int):
    me = _me()
    check_upload_csrf()
    material.editable_recordation(db.session(), me, recordation_id)
    caption = ""
    try:
        intake, form = receive_multipart(None, me, start=files.start_intake)
        caption = form.get("caption", "")
        files.add_recordation_document(db.session(), me, recordation_id, intake,
                                       intake.client_name, caption)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        failed = FormState.failed({"caption": caption}, exc)
        return _recordations_page(FormState(), 422, upload={recordation_id: failed})
    flash(gettext("Document added."), "info")
    return redirect(url_for("holders.recordations"))


ROUTES = (
    ("/me/contacts", contacts, ("GET", "POST")),
    ("/me/contacts/<int:contact_id>", edit_contact, ("GET", "POST")),
    ("/me/contacts/<int:contact_id>/remove", remove_contact, ("POST",)),
    ("/me/guides", guides, ("GET", "POST")),
    ("/guides/<int:guide_id>", guide, ("GET",)),
    ("/me/guides/<int:guide_id>/edit", edit_guide, ("GET", "POST")),
    ("/me/guides/<int:guide_id>/withdraw", withdraw_guide, ("POST",)),
    ("/me/guides/<int:guide_id>/images", upload_guide_image, ("POST",)),
    ("/files/<public_id>", holder_file, ("GET",)),
    ("/me/files/<public_id>/remove", remove_file, ("POST",)),
    ("/me/recordations", recordations, ("GET", "POST")),
    ("/me/recordations/<int:recordation_id>", edit_recordation, ("GET", "POST")),
    ("/me/recordations/<int:recordation_id>/withdraw", withdraw_recordation, ("POST",)),
    ("/me/recordations/<int:recordation_id>/documents", upload_recordation_document,
     ("POST",)),
)


def register(bp) -> None:
    """Hang these pages on the holders blueprint (endpoints ``holders.<function>``)."""
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, view_func=view, methods=list(methods))
