"""The job outbox: jobs that could not be handed to Redis, kept until a flush queues them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from .types import UTCDateTime, utcnow


class PendingJob(Base):
    """One job waiting for Redis: ``func`` is ``workers.<module>.<function>``; its arguments
    are ids and plain values (JSON), never case content."""

    __tablename__ = "pending_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    func: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(50), default="default")
    args: Mapped[list] = mapped_column(JSON, default=list)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    job_timeout: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
