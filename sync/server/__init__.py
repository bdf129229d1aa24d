"""The departmental sync server (FastAPI): the ``server`` extra of the installation.

A desktop installed without that extra gets :class:`~spie_desktop.errors.MissingExtraError`
(an ``ImportError`` with a French message) instead of a bare missing-module error.
"""

from spie_desktop.errors import require_extra

SERVER_MODULES = ("fastapi", "uvicorn", "psycopg", "pydantic_settings")

require_extra("server", *SERVER_MODULES)
