"""Bulk imports run as jobs: sealed uploads, progress and reports (rights and cases)."""
