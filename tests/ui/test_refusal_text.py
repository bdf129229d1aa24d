"""A refusal the server answers (a change, a handover) is shown in the interface's language:
the server words it in French with a code; the English interface reads the code (issue 12,
What 5 — « server refusal reasons shown French »)."""

from __future__ import annotations

from sync.client import Rejected, SyncReport
from sync.protocol import MESSAGES, ErrorCode
from ui.i18n import install_language
from ui.sync_client_backend import outcome_of
from ui.texts.sync import _refusals, refusal_text


def _refused(code: ErrorCode, table: str) -> Rejected:
    """A refusal as the server answers it: its code and its French sentence."""
    return Rejected(change_id="c1", table=table, row_id="r1", code=code, message=MESSAGES[code])


def test_each_refusal_is_worded_as_the_server_words_it_in_french(qapp) -> None:  # type: ignore[no-untyped-def]
    install_language("fr")
    known = _refusals()
    assert len(known) >= 19
    for code, french in known.items():
        assert french == MESSAGES[ErrorCode(code)], code
    assert refusal_text("a_code_of_a_newer_server", "Phrase du serveur.") == "Phrase du serveur."
    assert refusal_text("a_code_of_a_newer_server", None) == "a_code_of_a_newer_server"


def test_refusals_in_english(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert install_language("en")
        for code in _refusals():
            text = refusal_text(code, MESSAGES[ErrorCode(code)])
            assert text and text != MESSAGES[ErrorCode(code)], code
        report = SyncReport(status="ok", rejected=[_refused(ErrorCode.OUT_OF_SCOPE, "note")])
        message = outcome_of(report).message or ""
        assert "This person is not in your caseload." in message, message
        assert "portefeuille" not in message
        report = SyncReport(
            status="ok", handovers_refused=[_refused(ErrorCode.HANDOVER_STALE, "handover")]
        )
        message = outcome_of(report).message or ""
        assert "handed over to another referent in the meantime" in message, message
    finally:
        install_language("fr")


SKEWS_MS = (-3 * 86_400_000, -90 * 60_000, -61_000, 30_000, 59 * 60_000, 35 * 3_600_000,
            2 * 86_400_000 + 1)  # fmt: skip


def _clock_report(skew_ms: int, clamped: bool) -> SyncReport:
    from datetime import UTC, datetime

    from sync.server.merge import clock_report

    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    report = clock_report(skew_ms if clamped else 0, None, now, 0) if clamped else None
    if report is None:
        from datetime import timedelta

        report = clock_report(0, now + timedelta(milliseconds=skew_ms), now, 0)
    assert report is not None and report.clamped is clamped
    return SyncReport(
        status="ok",
        clock_warning=report.message,
        clock_skew_ms=report.skew_ms,
        clock_clamped=report.clamped,
    )


def test_the_clock_warning_in_both_languages(qapp) -> None:  # type: ignore[no-untyped-def]
    """The server words its clock warning in French with figures; the French interface shows
    the same sentence word for word, the English one the figures in English."""
    try:
        for skew in SKEWS_MS:
            for clamped in (False, True) if skew > 0 else (False,):
                report = _clock_report(skew, clamped)
                install_language("fr")
                assert outcome_of(report).message == report.clock_warning, (skew, clamped)
                assert install_language("en")
                english = outcome_of(report).message or ""
                assert english.startswith("This computer's clock is "), english
                assert "horloge" not in english and "jours" not in english
                assert ("dated again" in english) is clamped, english
        # a server that sent no figures: its own words
        assert outcome_of(SyncReport(status="ok", clock_warning="Mot du serveur.")).message == (
            "Mot du serveur."
        )
    finally:
        install_language("fr")
