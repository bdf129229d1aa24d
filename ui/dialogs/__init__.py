"""Dialogs (appointments, barriers, persons, conflicts)."""
