"""The next appointment's moment is said once (the banner used to read « 25/12/2026 15:00
(ven. 25/12 15:00) »), with its weekday and year, in the interface's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ui.formatting import fmt_when
from ui.i18n import install_language


def test_a_moment_is_said_once_with_weekday_and_year(qapp) -> None:  # type: ignore[no-untyped-def]
    install_language("fr")
    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC).astimezone()
    later = now.replace(hour=9, minute=30) + timedelta(days=5)  # Monday 7 December
    text = fmt_when(later, now)
    assert text == f"lun. 07/12/2026 {later:%H:%M}", text
    tomorrow = now + timedelta(days=1)
    text = fmt_when(tomorrow, now)
    assert text.startswith("demain ") and text.endswith("(jeu. 03/12/2026)"), text
    assert text.count("03/12") == 1
    assert fmt_when(now, now).startswith("aujourd'hui ")


def test_the_moment_in_english(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert install_language("en")
        now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC).astimezone()
        text = fmt_when(now + timedelta(days=5), now)
        assert text.startswith("Mon ") and "07/12/2026" in text, text
        assert fmt_when(now + timedelta(days=1), now).startswith("tomorrow ")
    finally:
        install_language("fr")
