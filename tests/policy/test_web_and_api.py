"""The case access table, run through the web and the API on real rows (issue 15).

``tests/policy/test_cases.py`` asks ``policy`` directly; here every row of its MATRIX is
played by a logged-in officer against cases that stand in the row's relation to it: the
view, the edit and the move from open to under investigation, once through the web pages
and once through ``/api/v1``. Both surfaces must give the answer the table gives: success
when allowed, 403 when the actor may see the case but not do this, 404 when the case is
out of its reach.
"""

from __future__ import annotations

import pytest

from anice.auth import tokens
from anice.cases import items
from anice.models import CaseAssignment, Role

from ..factories import Factory
from .test_cases import MATRIX, RELATIONS

OK, DENIED, HIDDEN = "ok", "403", "404"

# The inactive investigator cannot log in at all (tests/auth); every other actor of the
# matrix is played here.
PLAYED = ("investigator", "prosecutor", "supervisor", "coordinator", "secretariat", "admin")


def expected(view: bool, allowed: bool) -> str:
    if not view:
        return HIDDEN
    return OK if allowed else DENIED


def outcome(status: int) -> str:
    if status in (403, 404):
        return str(status)
    assert status < 400, status  # a 409/422/5xx is a broken row, not an answer
    return OK


def _cases(db, make: Factory, actor, world) -> dict[str, dict[str, int]]:
    """For each relation two open cases (one moved through the web, one through the
    API), written through the services as their agencies' staff would. The creator is on
    each case's team, so "not assigned" means someone else is."""
    sup_my, colleague, inv_customs, inv_th = world

    def one(creator, restricted: bool, assigned: bool) -> int:
        case = make.case(creator, opened=True,
                         sensitivity="restricted" if restricted else "normal")
        if assigned:
            if actor.role in (Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR):
                items.assign(db, sup_my, case.id, actor.id)
            else:  # the service puts no network role on a team: the row stands for an
                # officer whose role changed after it was assigned
                db.add(CaseAssignment(case_id=case.id, officer_id=actor.id))
            db.commit()
        return case.id

    made = {}
    for relation in RELATIONS:
        creator = {"other agency": inv_customs, "other country": inv_th}.get(relation,
                                                                               colleague)
        restricted = relation.startswith("own restricted")
        assigned = relation == "own restricted assigned"
        made[relation] = {"web": one(creator, restricted, assigned),
                          "api": one(creator, restricted, assigned)}
    return made


def _api(app, db, officer):
    _, raw = tokens.create_token(db, officer, "test", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    client = app.test_client()

    def call(method: str, path: str, body=None):
        send = getattr(client, method)
        path = "/api/v1" + path
        return send(path, headers=headers, json=body) if body is not None else send(
            path, headers=headers)

    return call


def _version(db, case_id: int) -> int:
    from anice.models import Case

    db.expire_all()
    return db.get(Case, case_id).version


@pytest.mark.parametrize("actor_name", PLAYED)
def test_matrix_rows_through_web_and_api(app, client, auth, db, make, actor_name):
    my_police = make.agency("MY", "PDRM")
    actor = make.officer(Role(actor_name.split()[-1]), agency=my_police)
    world = (make.officer(Role.SUPERVISOR, agency=my_police),
             make.officer(Role.INVESTIGATOR, agency=my_police),
             make.officer(Role.INVESTIGATOR, agency=make.agency("MY", "JKDM")),
             make.officer(Role.INVESTIGATOR, "TH", agency=make.agency("TH", "ECD")))
    cases = _cases(db, make, actor, world)
    api = _api(app, db, actor)
    assert auth.login(actor).status_code == 302

    wrong = []
    for name, relation, view, edit, to_investigation, *_ in MATRIX:
        if name != actor_name:
            continue
        on_web, on_api = cases[relation]["web"], cases[relation]["api"]
        answers = {
            "view": (expected(view, True),
                     client.get(f"/cases/{on_web}").status_code,
                     api("get", f"/cases/{on_api}").status_code),
            "edit": (expected(view, edit),
                     client.get(f"/cases/{on_web}/edit").status_code,
                     api("patch", f"/cases/{on_api}",
                         {"version": _version(db, on_api)}).status_code),
            "open -> under investigation": (
                expected(view, to_investigation),
                client.post(f"/cases/{on_web}/move", data={
                    "to": "under_investigation",
                    "version": str(_version(db, on_web))}).status_code,
                api("post", f"/cases/{on_api}/transitions", {
                    "to": "under_investigation",
                    "version": _version(db, on_api)}).status_code),
        }
        for action, (want, web, via_api) in answers.items():
            web, via_api = outcome(web), outcome(via_api)
            if not web == via_api == want:
                wrong.append(f"{actor_name} / {relation} / {action}: web {web}, "
                             f"API {via_api}, table {want}")
    assert not wrong, "\n".join(wrong)

    # The allowed moves really happened, on both surfaces; the refused ones left no trace.
    from anice.models import Case, CaseStatus

    db.expire_all()
    for name, relation, view, _edit, to_investigation, *_ in MATRIX:
        if name == actor_name:
            for surface in ("web", "api"):
                status = db.get(Case, cases[relation][surface]).status
                assert (status == CaseStatus.UNDER_INVESTIGATION) is (
                    view and to_investigation), (relation, surface, status)
