"""Test helpers importable as ``tests.support`` (also by ``bench/`` and ``tools/``)."""
