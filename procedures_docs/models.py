"""Controlled documents and forms: revisions, review, approval (ISO 9001 7.5)."""
