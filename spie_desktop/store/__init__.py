"""Encrypted device store: SQLCipher engine, key vault and local models."""
