"""The shared cast of the access table: agencies, officers, cases and referrals as plain
objects (no database), so every table file asks policy about the same people.

MY police and MY customs share a country; TH police receives referrals from MY; VN is a
third country; OPS is the network's operations agency (secretariat, admins).
"""

from __future__ import annotations

import itertools

from anice.models import (
    Agency,
    AgencyKind,
    Case,
    CaseAssignment,
    CaseKind,
    CaseStatus,
    Country,
    HandlingCode,
    HolderKind,
    HolderOrg,
    Officer,
    Referral,
    ReferralStatus,
    Role,
    Sensitivity,
    VerificationRequest,
    VerificationStatus,
)

RS = ReferralStatus
ST = CaseStatus


def agency(id_: int, country: str, code: str, kind: AgencyKind = AgencyKind.POLICE,
           active: bool = True) -> Agency:
    found = Agency(id=id_, country_code=country, code=code, name=f"{country} {code}",
                   kind=kind, active=active, referral_approval=True)
    found.country = Country(code=country, name=country, currency="X", timezone="UTC")
    return found


MY_POLICE = agency(1, "MY", "PDRM")
MY_CUSTOMS = agency(2, "MY", "JKDM", AgencyKind.CUSTOMS)
TH_POLICE = agency(3, "TH", "ECD")
TH_CUSTOMS = agency(4, "TH", "CUS", AgencyKind.CUSTOMS)
VN_POLICE = agency(5, "VN", "C05")
OPS = agency(6, "ID", "ANIEE", AgencyKind.SECRETARIAT)
MY_CLOSED = agency(7, "MY", "OLD", AgencyKind.OTHER, active=False)

_ids = itertools.count(100)


def officer(role: Role, agency: Agency = MY_POLICE, active: bool = True) -> Officer:
    oid = next(_ids)
    return Officer(id=oid, email=f"{role}-{oid}@t", name=role.value, role=role, agency=agency,
                   agency_id=agency.id, active=active, timezone="UTC")


ADMIN = officer(Role.ADMIN, OPS)
OTHER_ADMIN = officer(Role.ADMIN, OPS)
GONE = officer(Role.ADMIN, OPS, active=False)          # an inactive officer
SECRETARIAT = officer(Role.SECRETARIAT, OPS)
COORD_MY = officer(Role.COORDINATOR, MY_CUSTOMS)
COORD_TH = officer(Role.COORDINATOR, TH_CUSTOMS)
COORD_VN = officer(Role.COORDINATOR, VN_POLICE)
SUP_MY = officer(Role.SUPERVISOR, MY_POLICE)
INV_MY = officer(Role.INVESTIGATOR, MY_POLICE)
PROS_MY = officer(Role.PROSECUTOR, MY_POLICE)
INV_MY_GONE = officer(Role.INVESTIGATOR, MY_POLICE, active=False)
SUP_MY_CUSTOMS = officer(Role.SUPERVISOR, MY_CUSTOMS)
INV_MY_CUSTOMS = officer(Role.INVESTIGATOR, MY_CUSTOMS)
SUP_TH = officer(Role.SUPERVISOR, TH_POLICE)
INV_TH = officer(Role.INVESTIGATOR, TH_POLICE)
SUP_TH_CUSTOMS = officer(Role.SUPERVISOR, TH_CUSTOMS)
INV_VN = officer(Role.INVESTIGATOR, VN_POLICE)


def case(agency: Agency = MY_POLICE, status: CaseStatus = ST.OPEN,
         sensitivity: Sensitivity = Sensitivity.NORMAL, team: tuple[Officer, ...] = (),
         id_: int | None = None, origin: HandlingCode | None = None) -> Case:
    """A case of ``agency``; ``origin`` makes it the linked case of a referral with that
    handling code."""
    number = id_ if id_ is not None else next(_ids)
    found = Case(id=number, reference=f"{agency.country_code}-{agency.code}-2026-{number:06d}",
                 agency=agency, agency_id=agency.id, country_code=agency.country_code,
                 year=2026, seq=number, kind=CaseKind.COUNTERFEIT, status=status,
                 sensitivity=sensitivity, title="Operation Dragon", summary="secret",
                 assignments=[CaseAssignment(officer_id=o.id) for o in team])
    if origin is not None:
        found.origin_referral_id, found.origin_handling = 1, origin.value
    return found


def referral(status: ReferralStatus, *, routed: bool = True, linked: bool = False,
             code: HandlingCode = HandlingCode.WITHIN_COUNTRY, share_until=None) -> Referral:
    """A case of MY police referred to Thailand, routed (or not yet) to TH police; with
    ``linked``, TH police opened its linked case."""
    sent = case(MY_POLICE, id_=1)
    found = Referral(id=1, reference="RF-MY-2026-000001", case_id=1, case=sent,
                     from_agency_id=MY_POLICE.id, from_agency=MY_POLICE, from_country_code="MY",
                     to_country_code="TH", to_agency_id=TH_POLICE.id if routed else None,
                     to_agency=TH_POLICE if routed else None, status=status,
                     handling_code=code, created_by_id=INV_MY.id, share_until=share_until,
                     shares=[])
    found.linked_case = case(TH_POLICE, id_=2) if linked else None
    found.linked_case_id = 2 if linked else None
    return found


# --- right holders (issue 18) --------------------------------------------------------

def holder_org(id_: int, country: str = "MY", active: bool = True) -> HolderOrg:
    return HolderOrg(id=id_, name=f"Brand {id_}", kind=HolderKind.OWNER, country_code=country,
                     identity_checked="seen", active=active, alerts=False)


NIKE_ORG = holder_org(1)
ACME_ORG = holder_org(2, "TH")
SUSPENDED_ORG = holder_org(3, active=False)


def holder(org: HolderOrg = NIKE_ORG, active: bool = True) -> Officer:
    oid = next(_ids)
    return Officer(id=oid, email=f"holder-{oid}@t", name="holder", role=Role.HOLDER,
                   agency=None, agency_id=None, holder_org=org, holder_org_id=org.id,
                   active=active, timezone="UTC")


HOLDER = holder()                   # NIKE_ORG's representative
OTHER_HOLDER = holder(ACME_ORG)     # another organisation's
HOLDER_GONE = holder(active=False)
HOLDER_SUSPENDED = holder(SUSPENDED_ORG)


def verification(org: HolderOrg = NIKE_ORG, status: VerificationStatus = VerificationStatus.SENT,
                 the_case: Case | None = None) -> VerificationRequest:
    """A request of a MY police case sent to ``org``."""
    sent = the_case or case(MY_POLICE, team=(INV_MY,))
    return VerificationRequest(id=next(_ids), public_id="v" * 20, case=sent, case_id=sent.id,
                               org_id=org.id, org=org, right_id=1, status=status,
                               sent_by_id=INV_MY.id, country_code="MY",
                               agency_id=MY_POLICE.id)
