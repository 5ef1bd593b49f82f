"""Every "may this actor ..." question of ANICE, answered in one place.

Deny by default: each predicate lists who may, and nobody else may. Query filters
(``visible_*``) return SQLAlchemy clauses that views, the API and jobs add to
their queries, so a record outside the actor's reach is simply not found (404).
"""

from __future__ import annotations

from sqlalchemy import false, select, true
from sqlalchemy.sql.elements import ColumnElement

from .models import Agency, AuditEvent, Officer, Role

STAFF_ROLES = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR})
NETWORK_ROLES = frozenset({Role.COORDINATOR, Role.SECRETARIAT, Role.ADMIN})


def _usable(actor: Officer | None) -> bool:
    return actor is not None and actor.active


def is_admin(actor: Officer | None) -> bool:
    return _usable(actor) and actor.role == Role.ADMIN


def is_coordinator_of(actor: Officer | None, country_code: str) -> bool:
    return (_usable(actor) and actor.role == Role.COORDINATOR
            and actor.country_code == country_code)


# --- countries and agencies -------------------------------------------------

def can_manage_countries(actor: Officer | None) -> bool:
    """Only system admins add, rename or (de)activate member states."""
    return is_admin(actor)


def can_manage_agencies_of(actor: Officer | None, country_code: str) -> bool:
    """Admins manage every agency; a coordinator those of its own country."""
    return is_admin(actor) or is_coordinator_of(actor, country_code)


def can_open_admin(actor: Officer | None) -> bool:
    """Whether the administration area (people, agencies, audit) is shown at all."""
    return _usable(actor) and actor.role in (Role.ADMIN, Role.COORDINATOR)


# --- officers ----------------------------------------------------------------

def invitable_roles(actor: Officer | None) -> tuple[Role, ...]:
    """Roles the actor may give: admins the network roles, coordinators the staff roles."""
    if is_admin(actor):
        return (Role.COORDINATOR, Role.SECRETARIAT, Role.ADMIN)
    if _usable(actor) and actor.role == Role.COORDINATOR:
        return (Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR)
    return ()


def can_invite(actor: Officer | None, role: Role, agency: Agency) -> bool:
    """May the actor invite an officer with ``role`` into ``agency``?"""
    if role not in invitable_roles(actor) or not agency.active:
        return False
    return is_admin(actor) or agency.country_code == actor.country_code


def visible_officers(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Officer: whom the actor may list and look at."""
    if is_admin(actor):
        return true()
    if not _usable(actor):
        return false()
    if actor.role == Role.COORDINATOR:
        in_country = select(Agency.id).where(Agency.country_code == actor.country_code)
        return Officer.agency_id.in_(in_country)
    if actor.role == Role.SUPERVISOR:
        return Officer.agency_id == actor.agency_id
    return Officer.id == actor.id


def can_view_officer(actor: Officer | None, target: Officer) -> bool:
    if is_admin(actor):
        return True
    if not _usable(actor):
        return False
    if actor.id == target.id:
        return True
    if actor.role == Role.COORDINATOR:
        return target.country_code == actor.country_code
    if actor.role == Role.SUPERVISOR:
        return target.agency_id == actor.agency_id
    return False


def can_manage_officer(actor: Officer | None, target: Officer) -> bool:
    """Change role, deactivate, reinvite: the people the actor is responsible for."""
    if not _usable(actor) or actor.id == target.id:
        return False
    if actor.role == Role.ADMIN:
        return target.role in NETWORK_ROLES
    if actor.role == Role.COORDINATOR:
        return target.role in STAFF_ROLES and target.country_code == actor.country_code
    return False


def can_deactivate(actor: Officer | None, target: Officer) -> bool:
    """Coordinators their staff; admins anyone else (an emergency stop)."""
    if is_admin(actor) and actor.id != target.id:
        return True
    return can_manage_officer(actor, target)


def can_change_role(actor: Officer | None, target: Officer, new_role: Role) -> bool:
    return can_manage_officer(actor, target) and new_role in invitable_roles(actor)


def can_view_login_attempts(actor: Officer | None, target: Officer) -> bool:
    """Failed logins are shown to the account's coordinator (and admins, and itself)."""
    if not can_view_officer(actor, target):
        return False
    return actor.id == target.id or actor.role in (Role.ADMIN, Role.COORDINATOR)


# --- audit -------------------------------------------------------------------

def can_read_audit(actor: Officer | None) -> bool:
    return can_open_admin(actor)


def visible_audit_events(actor: Officer | None) -> ColumnElement[bool]:
    """Admins read the whole trail; a coordinator its country's rows."""
    if is_admin(actor):
        return true()
    if _usable(actor) and actor.role == Role.COORDINATOR:
        return AuditEvent.country_code == actor.country_code
    return false()


# --- API ---------------------------------------------------------------------

def token_allows(scope: str, method: str) -> bool:
    """A read token may only read; a read-write token may do what its officer may."""
    if method in ("GET", "HEAD", "OPTIONS"):
        return scope in ("read", "read-write")
    return scope == "read-write"
