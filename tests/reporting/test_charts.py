"""The on-time chart keys its bars by row, not by label: two rows of the same name stay two bars, each labelled."""

import matplotlib.pyplot as plt
import pytest

from qms.reporting.charts import on_time_by_row, on_time_figure

pytestmark = pytest.mark.django_db  # the suite's session fixtures need the test database


def rows():
    # Two communes named Xã Xuân Lương (the abolished one and the new one), and two others.
    return [
        {"label": "Xã Bố Hạ", "code": "BN-BOHA", "on_time_rate": 0.95},
        {"label": "Xã Xuân Lương", "code": "07249", "on_time_rate": 0.60},
        {"label": "Xã Xuân Lương", "code": "BN-XUANLUONG", "on_time_rate": 0.99},
        {"label": "Xã Yên Thế", "code": "BN-YENTHE", "on_time_rate": 0.80},
        {"label": "Xã Đồng Kỳ", "code": "BN-DONGKY", "on_time_rate": None},  # nothing resolved: no bar
    ]


def test_same_named_rows_stay_separate_bars_with_their_own_labels():
    fig = on_time_figure(rows(), title="Tỷ lệ đúng hạn")
    ax = fig.axes[0]
    bars = sorted(ax.patches, key=lambda bar: bar.get_y())
    labels = {tick.get_position()[1]: tick.get_text() for tick in ax.get_yticklabels()}
    shown = [(labels[round(bar.get_y() + bar.get_height() / 2)], round(bar.get_width(), 2)) for bar in bars]
    plt.close(fig)
    # Top to bottom in the report's order; each bar with its own row's rate.
    assert shown[::-1] == [
        ("Xã Bố Hạ", 0.95), ("Xã Xuân Lương (07249)", 0.6), ("Xã Xuân Lương (BN-XUANLUONG)", 0.99), ("Xã Yên Thế", 0.8),
    ]


def test_the_chart_renders_as_png():
    assert on_time_by_row(rows(), title="Tỷ lệ đúng hạn")[:8] == b"\x89PNG\r\n\x1a\n"
