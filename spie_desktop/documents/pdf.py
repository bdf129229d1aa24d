"""PDF rendering with Typst (the ``typst`` package: the Typst compiler as a Python module).

Why Typst (measured in docs/architecture.md, « Documents »): tagged PDF (PDF/UA-1) out of
the box, French hyphenation and justification, page counters, ~30 ms per letter, no Python
dependency and no system library; the cost is the size of its wheel.

The templates are ``resources/documents/*.typ``. The data reaches them only as one JSON
string (``sys.inputs.data``) that they decode: a person's name or a note is inserted as
text, never parsed as Typst markup, so nothing typed in a file can change a document.
The compiler reads the templates and fonts shipped with the application and nothing else
(system fonts are ignored: a letter looks the same on every machine); it writes nothing:
the PDF comes back as bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from spie_desktop.errors import MissingExtraError, SpieError
from spie_desktop.resources import resource_path

TEMPLATES: Final = ("documents",)
FONTS: Final = ("fonts",)
PDF_STANDARD: Final = "ua-1"


class RenderError(SpieError):
    code = "render_failed"
    default_message = "Le document n'a pas pu être produit."


def templates_dir() -> Path:
    return resource_path(*TEMPLATES)


def image_bytes(path: Path) -> list[int]:
    """An image as the list of its bytes, for ``image(bytes(...))`` in a template.

    The logo travels inside the JSON like the rest of the data, so the compiler never
    needs to read a file outside the templates' folder.
    """
    return list(path.read_bytes())


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """Compile ``resources/documents/<template>.typ`` with ``data``; the PDF's bytes."""
    try:
        import typst  # imported here: only printing pays for loading the compiler
    except ImportError as exc:  # a server install (no `desktop` extra) prints nothing
        raise MissingExtraError("desktop", "typst") from exc

    root = templates_dir()
    source = root / f"{template}.typ"
    if not source.is_file():
        raise RenderError(f"Modèle de document introuvable : {template}.")
    try:
        result = typst.compile(
            str(source),
            root=str(root),
            font_paths=[str(resource_path(*FONTS))],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            pdf_standards=[PDF_STANDARD],
        )
    except Exception as exc:  # typst raises its own TypstError with the compiler's message
        raise RenderError(f"Le document n'a pas pu être produit ({type(exc).__name__}).") from exc
    if not isinstance(result, bytes):
        raise RenderError()
    return result
