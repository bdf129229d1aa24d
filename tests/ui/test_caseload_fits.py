"""Nothing in the caseload is cut at 1366×768 (issue 12), in French and in English, on the demo
caseload, measured with the room the style (app.qss paddings included) leaves a cell's text: a
cell's text is shown whole (the barriers' themes may be shortened with « … » after their count,
the tooltip naming them all; a long name too, whole in its tooltip); an alert chip is never cut
at the column's edge: the first is shortened with « … », the others counted as « +N », the
tooltip lists them all.

At 125 % scaling (a 1920×1080 screen: 1536×864 logical pixels, a device pixel ratio of 1.25)
the same test runs in a child process with ``QT_SCALE_FACTOR=1.25``: Qt's scale factor is read
when the application starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

from tests.ui.conftest import unlock, wait_idle
from tests.ui.fit_check import run_at_125_percent
from ui.i18n import install_language
from ui.models.caseload_model import ALERTS_ROLE, Column
from ui.widgets.chips import ChipsDelegate

SCREEN = os.environ.get("SPIE_TEST_SCREEN", "1366x768")


def text_room(table: QTableView, index: QModelIndex) -> int:
    """The width the view's style (app.qss paddings included) leaves a cell's text."""
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
    option.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    option.font = table.font()
    style = table.style()
    area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table).width()
    # and the margin the style keeps inside it when it draws (and elides) the text
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return area - 2 * margin


def cells_cut(table: QTableView) -> dict[tuple[int, int], tuple[str, str]]:
    """Cells whose display text is wider than the room the style leaves it, with their
    tooltip."""
    model = table.model()
    metrics = QFontMetrics(table.font())
    cut = {}
    for row in range(model.rowCount()):
        for column in range(Column.COUNT):
            if table.isColumnHidden(column) or column == Column.ALERTS:
                continue
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if metrics.horizontalAdvance(text) > text_room(table, index):
                cut[(row, column)] = (text, str(index.data(Qt.ItemDataRole.ToolTipRole) or ""))
    return cut


def chips_font(table: QTableView) -> QFont:
    font = QFont(table.font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    return font


@pytest.mark.parametrize("language", ["fr", "en"])
def test_nothing_is_cut_in_the_caseload_at_1366(make_app, demo_data, qtbot, language) -> None:
    try:
        parts = make_app(demo_data, language=language)
        unlock(qtbot, parts)
        window = parts.window
        width, height = (int(side) for side in SCREEN.split("x"))
        window.resize(width, height)
        window.show_view("caseload")
        wait_idle(qtbot, parts)
        qtbot.wait(100)
        scale = os.environ.get("QT_SCALE_FACTOR")
        if scale:  # the child of the 125 % test: the scaling must really be in force
            assert window.devicePixelRatio() == pytest.approx(float(scale))
        table = window.caseload.table
        model = table.model()
        assert model.rowCount() > 100
        qtbot.waitUntil(
            lambda: all(model.row_data(row) for row in range(model.rowCount())), timeout=20_000
        )
        assert table.horizontalScrollBar().maximum() == 0
        assert table.columnWidth(Column.ALERTS) >= table.ALERTS_MIN
        header = table.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for column in range(Column.COUNT):
            if not table.isColumnHidden(column):
                title = str(model.headerData(column, Qt.Orientation.Horizontal))
                assert QFontMetrics(bold).horizontalAdvance(title) + margin <= table.columnWidth(
                    column
                ), title

        cut = cells_cut(table)
        whole = {k: t for k, t in cut.items() if k[1] not in (Column.NAME, Column.BARRIERS)}
        assert whole == {}
        for (_row, column), (text, tooltip) in cut.items():
            if column == Column.NAME:  # a long name: whole at the start of its tooltip
                assert tooltip.startswith(f"{text} · ") or tooltip == text, (text, tooltip)
                continue
            # « 2 · Contraintes familiales, Mobilité »: the count whole, every theme in the tooltip
            count, _, themes = text.partition(" · ")
            assert count.isdigit() and themes
            assert tooltip and all(theme.strip("…") in tooltip for theme in themes.split(", "))

        metrics = QFontMetrics(chips_font(table))
        width = table.columnWidth(Column.ALERTS)
        left, right = 4, width - 4
        seen_more = seen_elided = 0
        for row in range(model.rowCount()):
            index = model.index(row, Column.ALERTS)
            texts = index.data(ALERTS_ROLE) or []
            if not texts:
                continue
            layout = ChipsDelegate.layout_chips(texts, metrics, left, right)
            assert layout.chips, texts  # at least the first alert shows
            for position, chip in enumerate(layout.chips):
                assert chip.full_text == texts[position]
                assert left <= chip.left and chip.left + chip.width <= right, chip
                if chip.shown_text != chip.full_text:
                    assert position == 0 and chip.shown_text.endswith("…"), chip
                    seen_elided += 1
            assert len(layout.chips) + layout.more == len(texts)
            if layout.more:
                seen_more += 1
                more = metrics.horizontalAdvance(f"+{layout.more}")
                assert layout.more_left + more <= right
            tooltip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            assert tooltip.split("\n") == texts
        assert seen_more > 0  # the demo has persons with several alerts
    finally:
        install_language("fr")


def test_a_chip_longer_than_its_cell_is_shortened_not_cut(qtbot) -> None:
    font = QFont()
    metrics = QFontMetrics(font)
    texts = ["Réexamen de l'orientation sociale : 12/01/2027", "Action échue", "RDV manqué"]
    for right in range(100, 600, 7):  # the column never gets narrower than ALERTS_MIN (230)
        layout = ChipsDelegate.layout_chips(texts, metrics, 4, right)
        assert len(layout.chips) + layout.more == len(texts)
        first = layout.chips[0]
        assert first.left + first.width <= right
        assert first.shown_text == texts[0] or first.shown_text.endswith("…")
        end = layout.chips[-1].left + layout.chips[-1].width
        assert end <= right
        if layout.more:
            assert layout.more_left + metrics.horizontalAdvance(f"+{layout.more}") <= right


def test_nothing_is_cut_in_the_caseload_at_125_percent_scaling() -> None:
    """The test above, French and English, in a child process at 125 % of 1920×1080."""
    done = run_at_125_percent(
        f"{Path(__file__)}::test_nothing_is_cut_in_the_caseload_at_1366", timeout=600
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
