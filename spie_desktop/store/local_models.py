"""Device-only tables: the outbox, the device's own state, caseload summaries.

They never travel to the server and live on their own metadata so that the server's
schema does not carry them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, Index, Integer, MetaData, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from spie_desktop.domain.models import NAMING_CONVENTION
from spie_desktop.domain.types import UTCDateTime


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(as_uuid=True),
        datetime: UTCDateTime(),
        date: Date(),
    }


class OutboxState:
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    REJECTED = "rejected"


class OutboxEntry(LocalBase):
    """One local change waiting for the server's acknowledgement.

    Written in the same transaction as the change itself; deleted only once the
    server acknowledged it. ``fields`` holds the changed fields with their new values.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_seq", "state", "seq"),
        Index("ix_outbox_row", "table_name", "row_id"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    person_id: Mapped[uuid.UUID | None]
    op: Mapped[str] = mapped_column(String(8))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)


class DeviceState(LocalBase):
    """Small key/value state of this device: HLC, sync cursor, account, last sync."""

    __tablename__ = "device_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PersonSummary(LocalBase):
    """Derived, per-person figures for the caseload screen, kept current by the store.

    Computing "next appointment" or "overdue actions" over a million history rows on
    every keystroke would be too slow; these are refreshed in the transaction of every
    write that touches the person, and again once ``valid_until`` passes (the next
    appointment starts or an action falls due).
    """

    __tablename__ = "person_summary"
    __table_args__ = (
        Index("ix_person_summary_last_contact", "last_contact_at"),
        Index("ix_person_summary_next_appointment", "next_appointment_at"),
        Index("ix_person_summary_valid_until", "valid_until"),
        Index("ix_person_summary_sort_name", "sort_name", "person_id"),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    search_key: Mapped[str] = mapped_column(Text, default="")
    last_contact_at: Mapped[datetime | None]
    next_appointment_at: Mapped[datetime | None]
    missed_not_rescheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome_pending_count: Mapped[int] = mapped_column(Integer, default=0)
    open_barrier_count: Mapped[int] = mapped_column(Integer, default=0)
    open_barrier_themes: Mapped[str] = mapped_column(Text, default="")
    open_action_count: Mapped[int] = mapped_column(Integer, default=0)
    next_action_due: Mapped[date | None]
    valid_until: Mapped[datetime | None]
    # The caseload's name order, as a French reader expects it: accents and case ignored
    # (MARCHAND, MARÉCHAL, MARIN), last name then first name (summary.sort_name).
    sort_name: Mapped[str] = mapped_column(Text, default="")
