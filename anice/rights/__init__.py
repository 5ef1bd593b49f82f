"""The registry of registered rights: import, browse and search (matching lives apart)."""
