"""Erasure tombstones the server authenticates (issue 10): a restored backup does not bring an
erased person back.

Every purge (erasure, retention) sends the devices of the person's scope a ``purge`` entry
whose ``tombstone`` is (person id, decision time, reason) with an HMAC-SHA256 of them under
a key of this server. The device keeps it (``purge_tombstone``). A server restored from a
backup taken before the purge no longer knows it; a device then finds its cursor unknown and,
before anything else of its reconciliation, presents the tombstones it holds
(``POST /sync/tombstones``). The server checks each MAC: a tombstone it issued and no longer
knows is applied again through the purge the administration uses
(:func:`sync.server.admin.purge_person`, audited ``erasure.reapply``, with the original
decision time and the device that presented it); one it knows is answered ``known``; a MAC
that does not match is refused with ``tombstone_invalid`` (audited, nothing erased): a
device never erases a person on its own word.

The key is derived from the server's token secret (``server_meta.token_secret``, created by
the first ``spie-server migrate``, never synced, never rotated): every backup of this server
holds it, so a tombstone issued after the backup was taken still verifies once that backup
is restored. A server installed again from nothing has another secret: its devices'
tombstones are refused (it never issued them). Purges recorded before this change carry no
MAC and cannot be applied again (the administrator's job, as before).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from sync.server.auth import token_secret

_KEY_LABEL = b"spie/purge-tombstone/v1"


def tombstone_key(connection: Connection) -> bytes:
    """This server's tombstone key: HMAC of a fixed label under the token secret (one
    secret, two independent uses)."""
    return hmac.new(token_secret(connection), _KEY_LABEL, hashlib.sha256).digest()


def time_text(moment: datetime) -> str:
    """The decision time as the tombstone carries it (UTC, microseconds, ``Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC)


def sign(key: bytes, person_id: uuid.UUID, purged_at: str, reason: str) -> str:
    message = f"v1\n{person_id}\n{purged_at}\n{reason}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify(key: bytes, person_id: uuid.UUID, purged_at: str, reason: str, mac: str) -> bool:
    return hmac.compare_digest(sign(key, person_id, purged_at, reason), mac.lower())


def entry_tombstone(
    person_id: uuid.UUID, fields: Mapping[str, Any] | None
) -> dict[str, str] | None:
    """The tombstone a purge entry of the log carries (its fields), as devices receive it;
    ``None`` for a purge recorded unsigned."""
    if not fields or not fields.get("mac"):
        return None
    return {
        "person_id": str(person_id),
        "purged_at": str(fields["purged_at"]),
        "reason": str(fields["reason"]),
        "mac": str(fields["mac"]),
    }
