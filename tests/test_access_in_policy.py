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
