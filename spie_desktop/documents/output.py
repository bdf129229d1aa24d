"""Writing a finished document where the user saved it, and nowhere else.

The bytes exist only in memory until this call; it writes them straight to the chosen path
(no temporary file beside it or in the system's temp directory, where a copy of a
person's file could be left behind by a crash), readable by the user alone (0600). A
write that fails half-way removes what it wrote.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from spie_desktop.errors import ValidationError


def check_destination(path: Path, *, overwrite: bool) -> Path:
    """The path to write, or a French refusal (missing folder, a folder, already exists)."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise ValidationError(
            f"Le dossier {path.parent} n'existe pas.", code="invalid_output", field="output"
        )
    if path.is_dir():
        raise ValidationError(
            f"{path} est un dossier : indiquez un nom de fichier.",
            code="invalid_output",
            field="output",
        )
    if not os.access(path.parent, os.W_OK):
        raise ValidationError(
            f"Vous ne pouvez pas écrire dans le dossier {path.parent} : choisissez-en un autre.",
            code="output_not_writable",
            field="output",
        )
    if path.exists() and not overwrite:
        raise ValidationError(
            f"Le fichier {path} existe déjà : choisissez un autre nom.",
            code="output_exists",
            field="output",
        )
    return path


def write_document(path: Path, content: bytes, *, overwrite: bool = False) -> Path:
    """Write ``content`` to ``path`` (created 0600); returns the path written."""
    path = check_destination(path, overwrite=overwrite)
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_TRUNC if overwrite else os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ValidationError(
            f"Le fichier {path} existe déjà : choisissez un autre nom.",
            code="output_exists",
            field="output",
        ) from None
    except OSError as error:  # read-only folder, no right, full disk…
        raise ValidationError(
            f"Impossible d'écrire le fichier {path} : {error.strerror or error}. "
            "Choisissez un dossier où vous pouvez écrire.",
            code="output_not_writable",
            field="output",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return path
