"""Domain model: entities, enumerations and reference lists (no Qt, no HTTP, no storage)."""
