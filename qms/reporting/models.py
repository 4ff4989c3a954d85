"""Indicators, Biểu 06 and the other reports, rendered as page, PDF, XLSX."""
