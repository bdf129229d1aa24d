"""The command groups of ``spie-desktop`` and ``spie-server``."""
