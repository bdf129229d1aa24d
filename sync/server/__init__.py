"""The departmental sync server (FastAPI): the ``server`` extra of the installation.

A desktop installed without that extra gets :class:`~spie_desktop.errors.MissingExtraError`
(an ``ImportError`` with a French message) instead of a bare missing-module error.
"""

from spie_desktop.errors import require_extra

# psycopg is not checked: only a PostgreSQL URL needs it (the bundle runs the server on SQLite).
SERVER_MODULES = ("fastapi", "uvicorn", "pydantic_settings")

require_extra("server", *SERVER_MODULES)
