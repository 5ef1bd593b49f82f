"""Periodic and on-demand enforcement reports: SQL aggregates frozen with their hash,
shown as HTML with charts and downloadable as PDF, CSV and XLSX."""
