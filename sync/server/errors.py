"""Refusals of the server: an HTTP status, a machine code and a French sentence."""

from __future__ import annotations

import uuid

from sync.protocol import ErrorBody, ErrorCode, message_for


def _safe(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    shown = str(text)[:limit].encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str | None = None,
        *,
        detail: str | None = None,
        change_id: uuid.UUID | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = str(code)
        self.message = message or message_for(self.code)
        # Echoed input may hold anything (lone surrogates, controls): make it safe to send.
        self.detail = _safe(detail, 300)
        self.change_id = change_id
        self.field = _safe(field, 64)
        self.headers = headers
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> ErrorBody:
        return ErrorBody(
            code=ErrorCode(self.code),
            message=self.message,
            detail=self.detail,
            change_id=self.change_id,
            field=self.field,
        )
