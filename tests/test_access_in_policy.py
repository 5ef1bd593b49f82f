"""Every access decision lives in anice/policy.py (issue 15, "one way in").

An AST walk over the package fails on a comparison of an officer's role, a ``Role``
member, a role set of policy, or an actor's country against another country, anywhere
but policy and the models; a scan of the templates fails on a role test or on
``current_user.role`` used in a condition. Views, services and templates ask policy
(``policy.can_*``, ``policy.*_recipients``, the ``can`` object of templates) instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "anice"
TEMPLATES = ROOT / "templates"

# Names an actor goes by in views and services: its country compared with an object's
# is a tenancy decision.
ACTOR_NAMES = frozenset({"actor", "me", "current_user", "user", "viewer", "officer", "who"})
ROLE_SETS = frozenset({"CASE_READERS", "STAFF_ROLES", "NETWORK_ROLES"})

# (path relative to anice/, line text fragment) -> why it is not an access decision.
ALLOWED = {
    ("admin/service.py", "Officer.role == f.role"):
        "the officer list's role filter, typed by the user; the list itself is "
        "visible_officers",
    ("admin/service.py", "new_role != officer.role"):
        "is the role changing at all (can_change_role decided before)",
    ("admin/bootstrap.py", "officer.role != Role.ADMIN"):
        "operator CLI (no actor): which account the reinvite-admin command may reset",
    ("cases/workflow.py", "p.role == PartyRole.SUSPECT"):
        "a party's role in a case (suspect, right holder), not an officer's",
    ("correlation/network.py", "IdentifierNoise.country_code == CI.country_code"):
        "a join of noise marks to identifiers of the same country, no actor",
    ("reports/queries.py", "Referral.from_country_code == scope.country_code"):
        "what a report's figures count for its scope (who reads the scope is "
        "can_view_report_scope; the cases it counts are report_cases)",
    ("reports/queries.py", "Referral.to_country_code == scope.country_code"):
        "the same: referrals received by the scope's country, counted",
    ("reports/service.py", "Report.country_code == scope.country_code"):
        "finds the stored report of a scope (versions), no actor",
}


def _is_role_expr(node: ast.AST) -> bool:
    """``x.role``, ``Role.X``, or a role set of policy (``policy.CASE_READERS``)."""
    if isinstance(node, ast.Attribute):
        if node.attr == "role" or node.attr in ROLE_SETS:
            return True
        return isinstance(node.value, ast.Name) and node.value.id == "Role"
    return isinstance(node, ast.Name) and node.id in ROLE_SETS


def _actor_country(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr.endswith("country_code")
            and isinstance(node.value, ast.Name) and node.value.id in ACTOR_NAMES)


def _country_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr.endswith("country_code")


def _violation(node: ast.Compare) -> str | None:
    operands = [node.left, *node.comparators]
    if any(_is_role_expr(o) for o in operands):
        return "role comparison"
    if any(_actor_country(o) for o in operands):
        return "actor's country comparison"
    if sum(_country_attr(o) for o in operands) >= 2:
        return "country comparison between two records"
    return None


def _python_checks() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "policy.py" or rel.startswith("models/"):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Compare) and (why := _violation(node)):
                text = ast.get_source_segment(source, node) or lines[node.lineno - 1]
                found.append((rel, node.lineno, why, " ".join(text.split())))
    return found


def _allowed(rel: str, text: str) -> bool:
    return any(rel == path and fragment in text for path, fragment in ALLOWED)


# A role test in a template: `current_user.role` anywhere in a tag, or `role`/`role.value`
# compared (==, !=, in, not in) with anything.
TEMPLATE_ROLE = re.compile(
    r"current_user\.role\b(?!\.label)|\brole(\.value)?\s*(==|!=|\bin\b|\bnot\s+in\b)")
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
TEMPLATE_ALLOWED = {
    ("admin/officers.html", "f.role == r.value"):
        "keeps the role filter of the officer list selected",
}


def _template_checks() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        rel = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        for tag in TAG.finditer(text):
            if not TEMPLATE_ROLE.search(tag.group(0)):
                continue
            if any(rel == p and frag in tag.group(0) for p, frag in TEMPLATE_ALLOWED):
                continue
            found.append((rel, text.count("\n", 0, tag.start()) + 1, tag.group(0)))
    return found


def test_no_role_or_country_decision_outside_policy():
    bad = [f"anice/{rel}:{line}: {why}: {text}" for rel, line, why, text in _python_checks()
           if not _allowed(rel, text)]
    assert not bad, "access decided outside anice/policy.py:\n" + "\n".join(bad)


def test_allow_list_has_no_stale_entries():
    """Each allowed comparison still exists: a fixed one leaves the list."""
    found = _python_checks()
    stale = [key for key in ALLOWED
             if not any(rel == key[0] and key[1] in text for rel, _, _, text in found)]
    assert not stale, stale


def test_templates_ask_policy_not_roles():
    bad = [f"templates/{rel}:{line}: {tag}" for rel, line, tag in _template_checks()]
    assert not bad, "templates test roles instead of asking `can`:\n" + "\n".join(bad)


def test_the_scan_catches_what_it_is_for():
    """The walk recognises each shape it forbids (a scan that finds nothing proves nothing)."""
    shapes = ["me.role == Role.COORDINATOR", "current_user.role not in policy.CASE_READERS",
              "x in CASE_READERS", "agency.country_code != referral.to_country_code",
              "Country.code != me.country_code", "Officer.role == Role.SUPERVISOR"]
    for shape in shapes:
        node = ast.parse(shape, mode="eval").body
        assert isinstance(node, ast.Compare) and _violation(node), shape
    for fine in ("Agency.country_code == country_code", "p.kind == PartyKind.PERSON"):
        assert _violation(ast.parse(fine, mode="eval").body) is None, fine
    for tag in ("{% if current_user.role.value != 'supervisor' %}",
                "{% if current_user.role in policy.CASE_READERS %}"):
        assert TEMPLATE_ROLE.search(tag), tag
    assert not TEMPLATE_ROLE.search("{{ current_user.role.label }}")


# --- the questions views, templates and services now ask policy ------------------------

def _officer(role, country="MY", agency_id=1, referral_approval=True):
    from anice.models import Agency, Officer

    agency = Agency(id=agency_id, country_code=country, code=f"A{agency_id}", name="a",
                    active=True, referral_approval=referral_approval)
    return Officer(id=agency_id * 10 + len(role.value), email="x@t", name="x", role=role,
                   agency=agency, agency_id=agency_id, active=True, timezone="UTC")


def test_the_new_predicates_answer_as_the_old_checks_did():
    from anice import policy
    from anice.models import Agency, Referral, Role

    inv, sup, coord = (_officer(r) for r in (Role.INVESTIGATOR, Role.SUPERVISOR,
                                             Role.COORDINATOR))
    admin, sec = _officer(Role.ADMIN, "ID", 9), _officer(Role.SECRETARIAT, "ID", 9)
    assert [policy.can_read_cases(o) for o in (inv, sup, coord, admin, sec, None)] == \
        [True, True, True, False, False, False]
    assert [policy.can_filter_cases_by_agency(o) for o in (inv, coord, admin)] == \
        [False, True, False]
    assert [policy.importable_offices(o) for o in (admin, coord, inv)] == [None, ("MY",), ()]
    assert not policy.can_refer_to_country(inv, "MY") and policy.can_refer_to_country(inv, "TH")
    # a supervisor's own referral leaves at once; anybody else's waits, if the agency asks
    assert policy.referral_needs_approval(inv, inv.agency)
    assert not policy.referral_needs_approval(sup, sup.agency)
    assert not policy.referral_needs_approval(inv, _officer(Role.INVESTIGATOR,
                                                           referral_approval=False).agency)
    th = Agency(id=5, country_code="TH", active=True)
    referral = Referral(to_country_code="TH", from_agency_id=1, to_agency_id=None)
    assert policy.can_route_to(referral, th)
    assert not policy.can_route_to(referral, Agency(id=6, country_code="VN", active=True))
    assert not policy.can_route_to(referral, Agency(id=7, country_code="TH", active=False))
    # before routing the receiving country's coordinators are told; after, its supervisors
    def same(a, b):
        return str(a.compile(compile_kwargs={"literal_binds": True})) == str(
            b.compile(compile_kwargs={"literal_binds": True}))

    assert same(policy.referral_recipients(referral, "receiver"), policy.coordinators_of("TH"))
    referral.to_agency_id = 5
    assert same(policy.referral_recipients(referral, "receiver"), policy.supervisors_of(5))
    assert same(policy.referral_recipients(referral, "sender"), policy.supervisors_of(1))
    assert same(policy.referral_recipients(referral, "router"), policy.coordinators_of("TH"))
    assert not same(policy.supervisors_of(5), policy.coordinators_of("TH"))
    with pytest.raises(ValueError):
        policy.referral_recipients(referral, "anybody")


def test_templates_get_a_can_object_that_asks_policy():
    from anice.models import Role
    from anice.web import Can

    class Anonymous:
        is_authenticated = False

    inv = _officer(Role.INVESTIGATOR)
    assert Can(inv).read_cases() and Can(inv).view_rights()
    assert not Can(Anonymous()).read_cases() and not Can(Anonymous()).view_rights()
    with pytest.raises(AttributeError):
        Can(inv).anything_not_in_policy  # noqa: B018
