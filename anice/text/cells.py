"""Cells of the CSV and XLSX files ANICE writes."""

from __future__ import annotations


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
