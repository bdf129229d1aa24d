"""Alembic migrations of the device store (domain tables + device-only tables)."""
