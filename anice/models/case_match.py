"""Candidate rights for a case's brands and listings, and the officers' decisions on them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .right import Right
from .types import UTCDateTime, str_enum, utcnow


class MatchDecision(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class CaseMatch(Base):
    """One right proposed for one text of a case (a seizure brand, a listing title or seller).

    Decisions stay across re-runs: a re-run updates scores and reasons, never a decision.
    """

    __tablename__ = "case_match"
    __table_args__ = (UniqueConstraint("case_id", "source", "right_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    # What was matched: "seizure:<id>" or "listing:<id>", and its text at the time.
    source: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    # The right's goods line closest to what was seen (the item's description, the
    # listing's title): its class, the term, and the words they share.
    goods_class: Mapped[int | None] = mapped_column(Integer)
    goods_term: Mapped[str | None] = mapped_column(String(1000))
    goods_words: Mapped[list | None] = mapped_column(JSON)
    decision: Mapped[MatchDecision] = mapped_column(str_enum(MatchDecision, 12),
                                                    default=MatchDecision.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    right: Mapped[Right] = relationship(lazy="joined")
