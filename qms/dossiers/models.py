"""Dossier-handling records of the one-stop offices and their import."""
