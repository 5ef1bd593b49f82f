"""Text folding shared by every feature: brand text as the matcher reads it (`brand`).

A low-level package: it imports no feature, and features (cases, correlation, rights,
reports) import it.
"""
