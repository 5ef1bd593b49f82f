"""Faults the deployment survives (issue 9): each module injects one and asserts the outcome.

- test_worker_killed: an RQ worker killed mid-job; the job is retried, its effects exactly once.
- test_redis_down: the app serves reads and writes; jobs wait in the outbox, none is dropped.
- test_database_restart: PostgreSQL crashes under load; clean 503s, no half transaction,
  the app reconnects by itself.
- test_object_store: the S3 store down or hanging during an upload; clear error, nothing kept.
- test_disk_full: the evidence folder is full; 507, nothing kept, no partial file.
- test_tampering: stored evidence flipped, truncated or swapped; verification flags it and
  downloads refuse.

See docs/operations.md, section "Faults", for what the operator sees and does.
"""
