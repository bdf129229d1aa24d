"""The main window's views (caseload, person file, agenda, settings, start and unlock)."""
