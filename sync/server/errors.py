"""Refusals of the server: an HTTP status, a machine code and a French sentence."""

from __future__ import annotations

import uuid

from sync.protocol import ErrorBody, message_for


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
        self.detail = detail
        self.change_id = change_id
        self.field = field
        self.headers = headers
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> ErrorBody:
        return ErrorBody(
            code=self.code,
            message=self.message,
            detail=self.detail,
            change_id=self.change_id,
            field=self.field,
        )
