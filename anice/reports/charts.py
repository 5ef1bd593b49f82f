"""Charts of a report, drawn server-side by matplotlib (Agg) from the frozen figures, in
the reader's language (titles, legends, axis labels, month names, the rows' words).

SVG for the page, PNG for the PDF. The output depends on the figures and the language only
(no dates or random ids in the files), so a chart of a stored report is the same every time.
Thai, Lao, Khmer and Burmese are shaped by matplotlib itself (3.11 lays text out with
libraqm, i.e. HarfBuzz), each script in its Noto font through matplotlib's per-glyph font
fallback (``_FAMILIES``); see docs/reports.md, Charts in every script.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import matplotlib
from babel.dates import format_skeleton
from flask_babel import gettext

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402 - after choosing the backend
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..pdf.typefaces import SCRIPTS  # noqa: E402
from ..text.locales import N_  # noqa: E402
from . import tables, wording  # noqa: E402

BLUE, LIGHT, GREY, ORANGE = "#1d4e89", "#8fb3de", "#9aa5b1", "#c26a00"
SIZE = (7.2, 3.4)
# pyplot is not used (no global state), but font caches and rcParams are shared.
_LOCK = threading.Lock()
_RC = {"svg.hashsalt": "anice-report", "font.size": 9,
       "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "path"}


@functools.cache
def _families() -> list[str]:
    """DejaVu Sans, then the Noto font of each script of the region that is installed:
    matplotlib takes each glyph from the first family that has it."""
    families = ["DejaVu Sans"]
    for script in SCRIPTS:
        for regular, _bold in script.files:
            if regular.exists():
                font_manager.fontManager.addfont(str(regular))
                families.append(font_manager.FontProperties(fname=str(regular)).get_name())
                break
    return families


def _num(value) -> float:
    return float(Decimal(str(value))) if value is not None else 0.0


def _short(month: str, first: bool) -> str:
    """"Oct" in the reader's language (CLDR), with the year under January and under the
    first month."""
    year, m = month.split("-")
    name = format_skeleton("MMM", date(int(year), int(m), 1), locale=wording.locale())
    return name + ("\n" + year if m == "01" or first else "")


def trend(figures: dict, fig: Figure) -> None:
    """Cases opened and closed per month (lines) over the seizure value (bars)."""
    t = figures.get("trend") or {}
    months = t.get("months", [])
    x = list(range(len(months)))
    ax = fig.add_subplot(1, 1, 1)
    values = [_num(v) for v in t.get("value_usd", [])]
    ax2 = ax.twinx()
    ax2.bar(x, values, color=LIGHT, width=0.6, label=gettext("Seizure value (USD)"), zorder=1)
    ax2.set_ylabel("USD")
    ax2.spines["top"].set_visible(False)
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    for name, color, label in (("opened", BLUE, gettext("Cases opened")),
                               ("closed", ORANGE, gettext("Cases closed"))):
        series = [float("nan") if v is None else v for v in t.get(name, [])]
        ax.plot(x, series, marker="o", color=color, label=label, linewidth=2)
    ax.set_ylabel(gettext("Cases"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(x, [_short(m, i == 0) for i, m in enumerate(months)])
    ax.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    # Above the plot, where it cannot hide a bar or a point.
    ax.legend(handles, [h.get_label() for h in handles], loc="lower left",
              bbox_to_anchor=(0, 1.02), frameon=False, ncols=3, fontsize=8)


def _barh(fig: Figure, labels: list[str], values: list[float], title: str,
          unit: str) -> None:
    ax = fig.add_subplot(1, 1, 1)
    if not values:
        ax.text(0.5, 0.5, gettext("Nothing in this period"), ha="center", va="center",
                transform=ax.transAxes, color=GREY)
        ax.set_axis_off()
        return
    y = list(range(len(values)))[::-1]
    ax.barh(y, values, color=BLUE, height=0.6)
    ax.set_yticks(y, labels)
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left", fontsize=10)
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, " " + wording.number(round(v), "count"), va="center", fontsize=8)
    ax.margins(x=0.15)


def seizures(figures: dict, fig: Figure) -> None:
    """Seizure value by product category (rows withheld by suppression are left out)."""
    rows = [r for r in (figures.get("seizures") or {}).get("rows", [])
            if r.get("value_usd") is not None][:10]
    _barh(fig, [tables.seizure_label(r) for r in rows], [_num(r["value_usd"]) for r in rows],
          gettext("Seizure value by category"), "USD")


def takedowns(figures: dict, fig: Figure) -> None:
    """Takedowns requested and achieved per platform."""
    rows = [r for r in (figures.get("takedowns") or {}).get("rows", [])
            if r.get("listings") is not None][:10]
    ax = fig.add_subplot(1, 1, 1)
    if not rows:
        ax.text(0.5, 0.5, gettext("No takedown requested in this period"), ha="center",
                va="center",
                transform=ax.transAxes, color=GREY)
        ax.set_axis_off()
        return
    x = list(range(len(rows)))
    ax.bar([i - 0.2 for i in x], [r["listings"] for r in rows], width=0.4, color=LIGHT,
           label=gettext("Requested"))
    ax.bar([i + 0.2 for i in x], [r["achieved"] for r in rows], width=0.4, color=BLUE,
           label=gettext("Achieved"))
    ax.set_xticks(x, [wording.word(r["label"]) for r in rows], rotation=20, ha="right")
    ax.set_ylabel(gettext("Listings"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(gettext("Online takedowns by platform"), loc="left", fontsize=10)


def comparison(figures: dict, fig: Figure) -> None:
    """The headline counts against the previous period and a year earlier."""
    items = [h for h in figures.get("headline", []) if h["unit"] == "count"][:6]
    ax = fig.add_subplot(1, 1, 1)
    x = list(range(len(items)))
    width = 0.27
    names = figures.get("comparison", {})
    year_ago, previous = names.get("year_ago", {}), names.get("previous", {})
    for offset, key, color, label in (
            (-width, "year_ago", GREY,
             wording.period_key_label(year_ago.get("key"), gettext("Year earlier"))),
            (0.0, "previous", LIGHT,
             wording.period_key_label(previous.get("key"), gettext("Previous"))),
            (width, "value", BLUE, wording.period_label(wording.period_of(figures)))):
        ax.bar([i + offset for i in x], [h[key] or 0 for h in items], width=width,
               color=color, label=label)
    ax.set_xticks(x, [_two_lines(gettext(h["label"])) for h in items], fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(gettext("Compared with earlier periods"), loc="left", fontsize=10)


def _two_lines(label: str) -> str:
    """A label on two lines at its first space (scripts written without spaces: one)."""
    return label.replace(" ", "\n", 1)


CHARTS: dict[str, tuple[str, Callable[[dict, Figure], None]]] = {
    "trend": (N_("Cases opened and closed per month, with the seizure value"), trend),
    "comparison": (N_("Headline counts against the previous period and a year earlier"),
                   comparison),
    "seizures": (N_("Seizure value by product category"), seizures),
    "takedowns": (N_("Online takedowns requested and achieved per platform"), takedowns),
}


def captions() -> dict[str, str]:
    """Each chart's text alternative in the reader's language."""
    return {name: gettext(alt) for name, (alt, _draw) in CHARTS.items()}


def render(figures: dict, name: str, fmt: str = "svg", dpi: int = 150) -> bytes:
    """The chart ``name`` of a report as SVG or PNG bytes."""
    _title, draw = CHARTS[name]
    with _LOCK, matplotlib.rc_context(_RC | {"font.family": _families()}):
        fig = Figure(figsize=SIZE, layout="constrained")
        draw(figures, fig)
        out = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
    return out.getvalue()
