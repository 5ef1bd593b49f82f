"""Product identification guides: how officers tell a holder's genuine products from
fakes (features, packaging, checks, prices, authorised distributors and licensees, images).
The holder writes them for rights it reaches; every officer reads those in force. Edits
go under optimistic locking (``Guide.version``); withdrawing keeps the row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import policy
from ..errors import Conflict, Invalid, NotFound
from ..models import Guide, GuideDistributor, GuideRight, HolderFile, Officer, Right, utcnow
from ..validation import Fields
from .material import member_state, own_org, record

GUIDE_TEXTS = (("genuine_features", 10000), ("counterfeit_features", 10000),
               ("packaging", 5000), ("checks", 5000), ("usual_prices", 2000))


# --- guides --------------------------------------------------------------------------

def _guide_query(actor: Officer):
    return (select(Guide).where(policy.visible_guides(actor))
            .options(selectinload(Guide.rights), selectinload(Guide.distributors)))


def my_guides(db: Session, actor: Officer) -> list[Guide]:
    """The holder's guides on the rights it reaches, withdrawn ones last."""
    own_org(actor)
    return list(db.scalars(_guide_query(actor).order_by(Guide.withdrawn_at.is_not(None),
                                                        Guide.title)))


def get_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """A guide the actor may read: every officer a guide in force, the holder its own on
    rights it reaches; NotFound otherwise."""
    guide = db.scalar(_guide_query(actor).where(Guide.id == guide_id))
    if guide is None or not policy.can_view_holder_material(actor, guide.org_id):
        raise NotFound(gettext("No such guide."))
    return guide


def my_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """One of the holder's own guides (withdrawn too); NotFound for anyone else."""
    own_org(actor)
    return get_guide(db, actor, guide_id)


def editable_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """One of the holder's own guides, in force, to change; NotFound for anyone else."""
    guide = get_guide(db, actor, guide_id)
    if not policy.can_edit_holder_material(actor, guide.org_id) or guide.withdrawn_at:
        raise NotFound(gettext("No such guide."))
    return guide


def guide_rights(db: Session, guide: Guide) -> list[Right]:
    ids = [r.right_id for r in guide.rights]
    return list(db.scalars(select(Right).where(Right.id.in_(ids))
                           .order_by(Right.office, Right.number))) if ids else []


def guide_images(db: Session, guide: Guide) -> list[HolderFile]:
    return list(db.scalars(select(HolderFile).where(HolderFile.guide_id == guide.id,
                                                    HolderFile.removed_at.is_(None))
                           .order_by(HolderFile.position, HolderFile.id)))


def distributor_lines(text: str | None) -> list[dict[str, Any]]:
    """Distributors typed one per line: ``MY; Name; distributor or licensee; contact``."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < 2:
            raise Invalid("distributors", gettext("line %(line)s: write 'country; name; "
                                                  "distributor or licensee; contact'",
                                                  line=number))
        kind = parts[2].lower() if len(parts) > 2 else "distributor"
        if kind not in ("distributor", "licensee", ""):
            raise Invalid("distributors", gettext("line %(line)s: %(value)s is neither "
                                                  "distributor nor licensee", line=number,
                                                  value=repr(parts[2])))
        rows.append({"country": parts[0], "name": parts[1], "licensee": kind == "licensee",
                     "contact": "; ".join(parts[3:]) or None, "line": number})
    return rows


def _guide_values(db: Session, actor: Officer, data: Mapping[str, Any]) -> dict[str, Any]:
    f = Fields(data)
    values: dict[str, Any] = {"title": f.text("title", required=True, max_len=200),
                              "product": f.text("product", required=True, max_len=300)}
    for name, limit in GUIDE_TEXTS:
        values[name] = f.text(name, max_len=limit) or ""
    right_ids = f.integer_list("rights")
    reachable = set(db.scalars(policy.holder_right_ids(actor)))
    if not right_ids and not any(name == "rights" for name, _ in f.errors):
        f.error("rights", gettext("choose at least one of your rights the guide covers"))
    elif any(r not in reachable for r in right_ids):
        f.error("rights", gettext("a guide covers only rights your organisation holds or "
                                  "represents"))
    values["rights"] = list(dict.fromkeys(right_ids))
    values["distributors"] = _distributors(db, f, data.get("distributors"))
    f.done()
    return values


def _distributors(db: Session, f: Fields, raw) -> list[GuideDistributor]:
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        f.error("distributors", gettext("must be a list of {country, name, licensee, contact}"))
        return []
    rows = []
    for index, item in enumerate(raw):
        where = gettext("line %(line)s", line=item.get("line")) \
            if isinstance(item, dict) and item.get("line") \
            else gettext("item %(number)s", number=index + 1)
        if not isinstance(item, dict):
            f.error("distributors", gettext("%(where)s: must be an object", where=where))
            continue
        one = Fields(item)
        country = member_state(db, one, "country")
        name = one.text("name", required=True, max_len=300)
        contact = one.text("contact", max_len=300)
        licensee = item.get("licensee", False)
        if not isinstance(licensee, bool):
            one.error("licensee", gettext("must be true or false"))
        for name_, message in one.errors:
            f.error("distributors", gettext("%(where)s: %(field)s %(problem)s", where=where,
                                            field=name_, problem=message))
        if not one.errors:
            rows.append(GuideDistributor(country_code=country, name=name, contact=contact,
                                         licensee=licensee))
    return rows


def _apply(guide: Guide, values: dict[str, Any]) -> list[str]:
    changed = [k for k in ("title", "product", *dict(GUIDE_TEXTS))
               if getattr(guide, k) != values[k]]
    for key in changed:
        setattr(guide, key, values[key])
    if sorted(r.right_id for r in guide.rights) != sorted(values["rights"]):
        guide.rights = [GuideRight(right_id=r) for r in values["rights"]]
        changed.append("rights")
    before = [(d.country_code, d.name, d.licensee, d.contact) for d in guide.distributors]
    after = [(d.country_code, d.name, d.licensee, d.contact) for d in values["distributors"]]
    if sorted(before, key=str) != sorted(after, key=str):
        guide.distributors = values["distributors"]
        changed.append("distributors")
    return changed


def create_guide(db: Session, actor: Officer, data: Mapping[str, Any]) -> Guide:
    """A product identification guide for some of the holder's rights."""
    org = own_org(actor)
    values = _guide_values(db, actor, data)
    guide = Guide(org_id=org.id, title=values["title"], product=values["product"])
    _apply(guide, values)
    db.add(guide)
    db.flush()
    record(db, actor, "holder.guide.create", guide, org, guide=guide.id,
            title=guide.title, rights=values["rights"])
    return guide


def _locked(db: Session, actor: Officer, guide_id: int, version) -> Guide:
    """The guide, locked for the change, if nobody changed it since ``version``."""
    guide = editable_guide(db, actor, guide_id)
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise Invalid("version",
                      gettext("is required: the version of the guide you edited")) from None
    guide = db.execute(select(Guide).where(Guide.id == guide.id).with_for_update()
                       .execution_options(populate_existing=True)).scalar_one()
    if guide.version != expected:
        raise Conflict(gettext("Someone changed the guide since you opened it (version "
                               "%(version)s, you edited %(edited)s): reload it and make your "
                               "change again.", version=guide.version, edited=expected))
    return guide


def update_guide(db: Session, actor: Officer, guide_id: int, data: Mapping[str, Any]) -> Guide:
    """Change a guide; ``data["version"]`` is the version the editor read (Conflict if
    someone saved meanwhile)."""
    guide = _locked(db, actor, guide_id, data.get("version"))
    values = _guide_values(db, actor, data)
    changed = _apply(guide, values)
    if changed:
        guide.version += 1
        guide.updated_at = utcnow()
        record(db, actor, "holder.guide.edit", guide, guide.org, guide=guide.id,
                fields=changed, version=guide.version)
    db.flush()
    return guide


def guide_values_for_form(guide: Guide) -> dict[str, Any]:
    """A guide as its edit form shows it (distributors one per line)."""
    values = {k: getattr(guide, k) for k in ("title", "product", "version", *dict(GUIDE_TEXTS))}
    values["rights"] = [str(r.right_id) for r in guide.rights]
    values["distributors"] = "\n".join(
        "; ".join(filter(None, (d.country_code, d.name,
                                "licensee" if d.licensee else "distributor", d.contact)))
        for d in guide.distributors)
    return values


def withdraw_guide(db: Session, actor: Officer, guide_id: int, version) -> Guide:
    """Officers no longer see the guide; the row and its images stay for the record."""
    guide = _locked(db, actor, guide_id, version)
    guide.withdrawn_at = guide.updated_at = utcnow()
    guide.version += 1
    record(db, actor, "holder.guide.withdraw", guide, guide.org, guide=guide.id)
    return guide
