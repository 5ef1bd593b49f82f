"""Periodic jobs, enqueued by RQ's cron scheduler: ``rq cron workers.cron --url $REDIS_URL``.

Run exactly one scheduler per deployment (two would queue every job twice). Cron fields
are in the scheduler host's local time; run it with TZ=UTC to read them as UTC. The jobs
themselves run on the ordinary workers.
"""

from __future__ import annotations

from rq import cron

from . import evidence, maintenance, referrals, reports, verifications

cron.register(maintenance.purge_sessions, queue_name="default", cron="17 * * * *")
cron.register(evidence.cleanup_orphans, queue_name="default", cron="40 3 * * *")
# Weekly re-hash of all evidence: long on a large store, so a generous timeout.
cron.register(evidence.verify_all, queue_name="default", cron="15 2 * * 0",
              job_timeout=24 * 3600)
# Jobs kept in the outbox while Redis was down reach the queue within minutes of its return.
cron.register(maintenance.flush_pending_jobs, queue_name="default", cron="*/5 * * * *")
# Deadline reminders of referrals (3 days and 1 day before, once each).
cron.register(referrals.remind_due, queue_name="default", cron="0 1 * * *")
# Verification requests: a reminder some working days before the deadline, an overdue
# notice once past it (each once; both sides).
cron.register(verifications.remind_due, queue_name="default", cron="10 1 * * *")
# Every agency's, country's and the regional report of the month, quarter and year just
# ended (idempotent: a day that has nothing due makes nothing). Long at scale.
cron.register(reports.generate_due, queue_name="default", cron="30 0 * * *",
              job_timeout=3600)
