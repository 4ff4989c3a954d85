"""Charts of the report page and PDF (matplotlib, PNG): on-time rate by row, and the monthly trend."""

from __future__ import annotations

import base64
import io
import textwrap
from collections import Counter

import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9})  # covers Vietnamese


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=100)
    plt.close(fig)
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


#: Characters per line of a bar's label: about a third of the chart's width at 9 pt.
LABEL_CHARS = 42
#: Bars per chart in the PDF: more would shrink the chart to fit the page height.
ROWS_PER_CHART = 18


def on_time_by_row_pages(rows: list[dict], *, title: str, target: float | None = None) -> list[bytes]:
    """`on_time_by_row` in charts of at most ROWS_PER_CHART bars, each fitting a landscape page."""
    measured = [r for r in rows if r["on_time_rate"] is not None]
    chunks = [measured[i:i + ROWS_PER_CHART] for i in range(0, len(measured), ROWS_PER_CHART)] or [[]]
    return [
        on_time_by_row(chunk, title=title if len(chunks) == 1 else f"{title} ({n}/{len(chunks)})", target=target)
        for n, chunk in enumerate(chunks, start=1)
    ]


def bar_labels(rows: list[dict]) -> list[str]:
    """Each row's label, with its code where two rows share a name (an abolished and a new commune)."""
    counts = Counter(r["label"] for r in rows)
    return [f"{r['label']} ({r['code']})" if counts[r["label"]] > 1 and r.get("code") else r["label"] for r in rows]


def on_time_figure(rows: list[dict], *, title: str, target: float | None = None):
    """
    The figure of `on_time_by_row`. Bars sit at positions, one per row, and the labels are set on those
    positions: matplotlib keys categorical bars by their label, so two rows of the same name would share
    one bar and shift every label below them. Long names (procedures) wrap on at most two lines.
    """
    measured = [r for r in rows if r["on_time_rate"] is not None]
    wrapped = [textwrap.shorten(label, LABEL_CHARS * 2, placeholder="…") for label in bar_labels(measured)]
    wrapped = ["\n".join(textwrap.wrap(label, LABEL_CHARS)) for label in wrapped]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    height = max(2.2, 0.2 * lines + 0.1 * len(measured) + 1.0)
    fig, ax = plt.subplots(figsize=(9.5, height))
    labels = wrapped[::-1]
    values = [r["on_time_rate"] for r in measured][::-1]
    colors = ["#2e7d32" if target is None or v >= target else "#c62828" for v in values]
    positions = range(len(values))
    ax.barh(positions, values, color=colors)
    ax.set_yticks(positions, labels)
    for y, v in zip(positions, values, strict=True):
        ax.text(min(v, 1.0) + 0.005, y, f"{v * 100:.1f}%".replace(".", ","), va="center", fontsize=8)
    if target is not None:
        ax.axvline(target, color="#555", linestyle="--", linewidth=1)
    low = max(0.0, min(0.8, min([*values, target or 1.0], default=0.8) - 0.05))
    ax.set_xlim(low, 1.07)  # room for the labels right of a 100 % bar
    ax.set_xticks([t / 20 for t in range(int(low * 20), 21)])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return fig


def on_time_by_row(rows: list[dict], *, title: str, target: float | None = None) -> bytes:
    """Horizontal bars: on-time rate of each row with resolved dossiers (rows without any are left out)."""
    return _png(on_time_figure(rows, title=title, target=target))


def monthly_trend(frame: pd.DataFrame, *, title: str) -> bytes:
    """Bars: dossiers resolved per month; line: the month's on-time rate."""
    fig, ax = plt.subplots(figsize=(9.5, 3.0))
    labels = [f"{p.month:02d}/{p.year}" for p in frame.index]
    positions = range(len(labels))  # by position, as on_time_figure
    ax.bar(positions, frame["resolved"], color="#90caf9", label="Đã giải quyết")
    ax.set_xticks(positions, labels)
    ax.set_ylabel("Hồ sơ")
    ax.tick_params(axis="x", rotation=45 if len(labels) > 6 else 0)
    right = ax.twinx()
    rates = [r if r is not None else float("nan") for r in frame["on_time_rate"]]
    right.plot(positions, rates, color="#2e7d32", marker="o", label="Tỷ lệ đúng hạn")
    right.set_ylim(0, 1.05)
    right.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(title)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, ["Đã giải quyết", "Tỷ lệ đúng hạn"], loc="lower left", fontsize=8)
    return _png(fig)
