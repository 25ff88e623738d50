"""The impact tables as a spreadsheet, for a funder's report: the same figures as the page and
the API (every group, small ones left out as there), with what they mean written above them."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from legami.core.spreadsheets import append_row

from ..queries import DIMENSIONS, Impact


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
    append_row(sheet, [report.measure_name])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [_("Follow-up"), str(timepoint.get(report.timepoint, report.timepoint))])
    append_row(
        sheet, [_("Break down by"), str(DIMENSIONS.get(report.dimension, _("No breakdown")))]
    )
    append_row(sheet, [_("Produced on"), timezone.localdate().strftime("%d/%m/%Y")])
    append_row(
        sheet,
        [
            _(
                "Groups of fewer than %(n)s people are not listed, nor the next smallest when "
                "only one would be hidden."
            )
            % {"n": report.minimum}
        ],
    )
    append_row(sheet)
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
    append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in report.rows:
        append_row(sheet, [row.label, *_figures(row.change)])
    if report.overall is not None:
        append_row(sheet, [_("All"), *_figures(report.overall)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    if report.hidden_groups:
        append_row(sheet)
        append_row(sheet, [_("Groups not listed"), report.hidden_groups])
    sheet.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
