"""Audit programme, audits, findings, nonconformities, corrective actions (ISO 9001 9.2, 10.2)."""
