"""The dashboard's cards tell the truth (issue 12): on the demo caseload, each card's figure is
the number of rows of the list its click opens, its own filter alone, whatever was set before."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from spie_desktop.services.caseload import CARDS, card_filter
from tests.ui.conftest import wait_idle
from ui.demo import DemoRunner, device_dir


def test_every_card_opens_exactly_what_it_counts(make_app, tmp_path: Path, qtbot) -> None:
    root = tmp_path / "demo"
    parts = make_app(device_dir(root, "referent"))
    runner = DemoRunner(parts, root)
    runner.start()
    try:
        window = parts.window
        view = window.caseload
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.workspace, timeout=60_000)
        # Active persons by default (issue 12): the 150 demo persons but those who left.
        qtbot.waitUntil(lambda: 100 < view.model.rowCount() < 150, timeout=20_000)
        qtbot.waitUntil(
            lambda: all(counter.value.text() != "–" for counter in view.counters.values()),
            timeout=20_000,
        )
        wait_idle(qtbot, parts)
        figures = {card: int(view.counters[card].value.text()) for card in CARDS}
        assert figures["missed"] > 0 and figures["followed"] < 150  # the demo has both cases

        def settle() -> None:
            qtbot.waitUntil(lambda: not view.model.busy and parts.ops.pending == 0, timeout=10_000)

        # A careless user: something typed and other filters set first, then every card in
        # turn, twice (a card after another must not combine with it).
        view.search.setText("a")
        view.theme_filter.setCurrentIndex(1)
        settle()
        for card in (*CARDS, *reversed(CARDS)):
            qtbot.mouseClick(view.counters[card], Qt.MouseButton.LeftButton)
            settle()
            assert view.model.rowCount() == figures[card], card
            assert view._current_filter() == replace(card_filter(card), referent_id=None), card
            assert view.search.text() == ""
            assert view.subtitle.text() == f"{figures[card]} personne(s) affichée(s)"
    finally:
        runner.stop()
