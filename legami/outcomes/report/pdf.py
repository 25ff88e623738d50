"""The programme impact report as PDF: the dashboard's figures, a bar chart drawn as SVG here
(WeasyPrint renders it; no browser, no script), and how to read them."""

from html import escape

from django.utils import timezone

from legami.core import pdf
from legami.core.privacy import SMALL_CELL

from ..queries import DIMENSIONS, Impact, ImpactRow
from ..queries import indicators as queries_indicators

WIDTH, ROW, LABEL = 640, 26, 220


def chart_svg(report: Impact, title: str) -> str:
    """Horizontal bars of the mean change per group with their 95% intervals, zero marked."""
    from django.utils.translation import gettext as _

    rows = [row for row in report.rows if row.change is not None]
    if not rows or report.overall is None:
        return ""
    rows.append(ImpactRow("all", _("All"), report.overall))
    lows = [
        min(0.0, r.change.ci_low if r.change.ci_low is not None else r.change.mean_change)
        for r in rows
    ]
    highs = [
        max(0.0, r.change.ci_high if r.change.ci_high is not None else r.change.mean_change)
        for r in rows
    ]
    low, high = min(lows), max(highs)
    span = (high - low) or 1.0
    plot = WIDTH - LABEL - 20

    def x(value: float) -> float:
        return LABEL + (value - low) / span * plot

    height = ROW * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<line x1="{x(0):.1f}" y1="0" x2="{x(0):.1f}" y2="{height - 20}" stroke="#555"/>',
    ]
    for index, row in enumerate(rows):
        top = index * ROW + 4
        change = row.change
        start, end = sorted((x(0), x(change.mean_change)))
        label = row.label or "—"
        parts.append(
            f'<text x="{LABEL - 8}" y="{top + 15}" text-anchor="end" font-size="11">'
            f"{escape(label[:34])}</text>"
        )
        parts.append(
            f'<rect x="{start:.1f}" y="{top + 3}" width="{max(end - start, 1):.1f}" '
            f'height="{ROW - 10}" fill="#0066cc"/>'
        )
        if change.ci_low is not None and change.ci_high is not None:
            middle = top + ROW / 2 - 1
            parts.append(
                f'<line x1="{x(change.ci_low):.1f}" y1="{middle:.1f}" '
                f'x2="{x(change.ci_high):.1f}" y2="{middle:.1f}" stroke="#1a1a1a" '
                f'stroke-width="1.5"/>'
            )
    parts.append(
        f'<text x="{x(low):.1f}" y="{height - 6}" font-size="10">{low:.1f}</text>'
        f'<text x="{x(high):.1f}" y="{height - 6}" font-size="10" text-anchor="end">'
        f"{high:.1f}</text></svg>"
    )
    return "".join(parts)


def impact_pdf(report: Impact, *, programme=None, date_from=None, date_to=None) -> bytes:
    from django.utils.translation import gettext as _

    title = _("Mean change with 95%% confidence interval") % {}
    html = pdf.render_html(
        "outcomes/report.html",
        {
            "report": report,
            "dimension": DIMENSIONS.get(report.dimension, ""),
            "programme": programme,
            "date_from": date_from,
            "date_to": date_to,
            "today": timezone.localdate(),
            "small_cell": SMALL_CELL,
            "chart": chart_svg(report, title),
            "chart_title": title,
            # A programme's report also says what changed for the organisations running it.
            "indicators": queries_indicators.programme_indicators(programme) if programme else [],
        },
    )
    return pdf.html_to_pdf(html)
