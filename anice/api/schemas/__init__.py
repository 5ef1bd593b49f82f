"""The API's schemas (pydantic v2): every response is dumped through one of them, and the
OpenAPI document (anice/api/spec.py) is generated from the same classes, so the two cannot
drift. Requests are still validated by the services (anice/validation.Fields), which name the
field in a 422; the request schemas here describe those bodies."""

from .base import Out, dump, dump_list
from .cases import (
    CaseCreate,
    CaseEdit,
    CaseInput,
    CaseMatch,
    CaseOut,
    CasePage,
    CaseSummary,
    DecisionInput,
    DiscardInput,
    ListingInput,
    ListingOut,
    MatchDecided,
    NoteInput,
    NoteOut,
    PartyInput,
    PartyOut,
    ProsecutionInput,
    SeizureInput,
    SeizureOut,
    TimelineEntry,
    TransitionInput,
)
from .common import Agency, Country, Me, MeInput, Problem
from .evidence import CustodyEntry, EvidenceOut, EvidenceVerified
from .other import (
    Links,
    LookupInput,
    LookupResult,
    RightEdit,
    RightHistoryPage,
    RightImageOut,
    RightMatch,
    RightOut,
    RightPage,
)
from .referrals import (
    AcceptInput,
    InfoRequestInput,
    MessageInput,
    NotificationsMarked,
    NotificationsOut,
    NotificationsRead,
    ReasonInput,
    ReferralDetail,
    ReferralEdit,
    ReferralInput,
    ReferralMessageOut,
    ReferralOut,
    ReferralPage,
    RouteInput,
    SharesAdded,
    SharesInput,
    VersionInput,
)

__all__ = [
    "AcceptInput", "Agency", "CaseCreate", "CaseEdit", "CaseInput", "CaseMatch", "CaseOut",
    "CasePage", "CaseSummary", "Country", "CustodyEntry", "DecisionInput", "DiscardInput",
    "EvidenceOut",
    "EvidenceVerified", "InfoRequestInput", "Links", "ListingInput", "ListingOut",
    "LookupInput", "LookupResult", "MatchDecided", "Me", "MeInput", "MessageInput", "NoteInput",
    "NoteOut", "NotificationsMarked", "NotificationsOut", "NotificationsRead", "Out",
    "PartyInput", "PartyOut", "Problem", "ProsecutionInput", "ReasonInput", "ReferralDetail",
    "ReferralEdit", "ReferralInput", "ReferralMessageOut", "ReferralOut", "ReferralPage",
    "RightEdit", "RightHistoryPage", "RightImageOut", "RightMatch", "RightOut", "RightPage",
    "RouteInput", "SeizureInput",
    "SeizureOut", "SharesAdded", "SharesInput", "TimelineEntry", "TransitionInput",
    "VersionInput", "dump", "dump_list",
]
