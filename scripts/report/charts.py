"""The four charts of the 情况说明 as PNG bytes, from the marts (matplotlib, Agg backend).

图1 收、支决算总计变动情况 (after 一)        prior year vs year: 收入总计 / 支出总计 (mart_totals_trend)
图2 收入决算结构 (after 二)                  pie of income_by_source (mart_expenditure_structure)
图3 支出决算结构 (after 三)                  pie of expenditure_by_nature
图4 财政拨款收、支决算总计变动情况 (after 四) prior year vs year: 财政拨款收入总计 / 支出总计

The CJK font is Noto Sans CJK SC from the mplfonts package, registered with matplotlib's font manager, so
no glyph is drawn as a box. A chart without data is None; a year without a prior year draws one bar per group.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from .data import Report  # noqa: E402

FONT_FILE = "NotoSansCJKsc-Regular.otf"
CHART_TITLES = {
    1: "收、支决算总计变动情况",
    2: "收入决算结构",
    3: "支出决算结构",
    4: "财政拨款收、支决算总计变动情况",
}
COLORS = ["#9db4cf", "#2f5d8a", "#d9822b", "#6a9f58", "#b85450", "#8064a2", "#4bacc6", "#a5a5a5"]

_font_name: str | None = None


def font_path() -> Path:
    """Noto Sans CJK SC as shipped by mplfonts (its package folder fonts/)."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: the CJK font of mplfonts is missing (pip install mplfonts)")
    return path


def use_cjk_font() -> str:
    """Register the CJK font with matplotlib once and make it the default family; returns its name."""
    global _font_name
    if _font_name is None:
        path = font_path()
        font_manager.fontManager.addfont(str(path))
        _font_name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [_font_name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return _font_name


@dataclass
class Chart:
    number: int
    title: str
    png: bytes

    @property
    def element_id(self) -> str:
        return f"chart-{self.number}"

    @property
    def caption(self) -> str:
        return f"图{self.number}：{self.title}"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _label(value: Decimal) -> str:
    return f"{value:,.2f}"


def bar_chart(groups: list[str], series: list[tuple[str, list[Decimal]]]) -> bytes:
    """Grouped bars: one group per label (收入总计, 支出总计), one bar per series (year)."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    n = len(series)
    width = 0.7 / max(n, 1)
    for i, (name, values) in enumerate(series):
        xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
        color = COLORS[1] if i == n - 1 else COLORS[0]
        bars = ax.bar(xs, [float(v) for v in values], width * 0.92, label=name, color=color)
        ax.bar_label(bars, labels=[_label(v) for v in values], padding=2, fontsize=9)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel("万元")
    ax.spines[["top", "right"]].set_visible(False)
    top = max((float(v) for _, values in series for v in values), default=0)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=n)
    fig.tight_layout()
    return _png(fig)


def pie_chart(items: list[tuple[str, Decimal, Decimal]]) -> bytes:
    """Pie of (name, amount 万元, share %) with the mart's shares as labels (they sum to 100.0)."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    wedges, _ = ax.pie([float(a) for _, a, _ in items], colors=COLORS[1:] + COLORS[:1], startangle=90,
                       counterclock=False, wedgeprops={"linewidth": 1, "edgecolor": "white"})
    for wedge, (_, _, share) in zip(wedges, items):
        if share >= 5:   # the mart's share, written inside its wedge
            angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
            ax.text(0.62 * math.cos(angle), 0.62 * math.sin(angle), f"{share}%", ha="center", va="center",
                    color="white", fontsize=10)
    ax.legend(wedges, [f"{name}\n{_label(amount)}万元（{share}%）" for name, amount, share in items],
              frameon=False, loc="center left", bbox_to_anchor=(0.95, 0.5), fontsize=9, labelspacing=1.0)
    ax.axis("equal")
    fig.subplots_adjust(left=0.02, right=0.6, top=0.96, bottom=0.04)
    return _png(fig)


def _trend(report: Report, measures: list[str]):
    rows = {r["measure_code"]: (r["amount"], r["prior_year_amount"]) for r in report.narrative.measures
            if r["measure_code"] in measures}
    if not all(m in rows for m in measures):
        return None
    current = [rows[m][0] for m in measures]
    prior = [rows[m][1] for m in measures]
    series = [(f"{report.fiscal_year}年度", current)]
    if all(p is not None for p in prior):
        series.insert(0, (f"{report.fiscal_year - 1}年度", prior))
    return series


def _structure(report: Report, breakdown: str):
    return [(r["item_name"], r["amount"], r["share_pct"]) for r in report.narrative.structure
            if r["breakdown"] == breakdown and r["amount"] != 0]


def render_charts(report: Report) -> dict[int, Chart]:
    """图1 … 图4 of one unit-year (a chart without data is left out), from what report/data.py loaded."""
    charts: dict[int, Chart] = {}
    for number, measures, groups in (
            (1, ["grand_total_income", "grand_total_expenditure"], ["收入总计", "支出总计"]),
            (4, ["fiscal_grand_total_income", "fiscal_grand_total_expenditure"], ["财政拨款收入总计", "财政拨款支出总计"])):
        series = _trend(report, measures)
        if series:
            charts[number] = Chart(number, CHART_TITLES[number], bar_chart(groups, series))
    for number, breakdown in ((2, "income_by_source"), (3, "expenditure_by_nature")):
        items = _structure(report, breakdown)
        if items:
            charts[number] = Chart(number, CHART_TITLES[number], pie_chart(items))
    return dict(sorted(charts.items()))
