"""The impact tables as a spreadsheet, for a funder's report: the same figures as the page and
the API (every group, small ones left out as there), with what they mean written above them."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .queries import DIMENSIONS, Impact


def _figures(change) -> list:
    return [
        change.n,
        round(change.mean_before, 2),
        round(change.mean_after, 2),
        round(change.mean_change, 2),
        None if change.ci_low is None else round(change.ci_low, 2),
        None if change.ci_high is None else round(change.ci_high, 2),
        None if change.cohens_dz is None else round(change.cohens_dz, 3),
        None if change.wilcoxon_p is None else round(change.wilcoxon_p, 4),
        round(change.share_improved, 4),
        round(change.share_deteriorated, 4),
    ]


def impact_workbook(report: Impact) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Impact")[:31]
    timepoint = dict(report.instrument.responses.model._meta.get_field("timepoint").choices)
    sheet.append([report.measure_name])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Follow-up"), str(timepoint.get(report.timepoint, report.timepoint))])
    sheet.append([_("Break down by"), str(DIMENSIONS.get(report.dimension, _("No breakdown")))])
    sheet.append([_("Produced on"), timezone.localdate().strftime("%d/%m/%Y")])
    sheet.append(
        [
            _(
                "Groups of fewer than %(n)s people are not listed, nor the next smallest when "
                "only one would be hidden."
            )
            % {"n": report.minimum}
        ]
    )
    sheet.append([])
    header = [
        _("Group"),
        _("People"),
        _("Mean before"),
        _("Mean after"),
        _("Mean change"),
        _("95%% CI low") % {},
        _("95%% CI high") % {},
        "Cohen d_z",
        _("Wilcoxon p"),
        _("Improved"),
        _("Deteriorated"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([row.label, *_figures(row.change)])
    if report.overall is not None:
        sheet.append([_("All"), *_figures(report.overall)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    if report.hidden_groups:
        sheet.append([])
        sheet.append([_("Groups not listed"), report.hidden_groups])
    sheet.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
