"""The template people download, fill in and send back: an "Attività" sheet with the headers
only (so that an untouched template imports nothing), and an "Istruzioni" sheet explaining each
column with an example row, the codes of the classifications and the organisations the user
may list for."""

import codecs
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from legami.core.roles import SUPERUSER, effective_role
from legami.core.spreadsheets import append_row, csv_writer
from legami.network.models import Organisation
from legami.network.queries import organisations_editable

from ..models import Taxonomy, TaxonomyTerm
from .columns import COLUMNS, INSTRUCTIONS_SHEET, SHEET_NAME
from .reader import MAX_ROWS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_ORGANISATIONS_LISTED = 500
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE9F7")
WRAP = Alignment(wrap_text=True, vertical="top")
CHOICES = {
    "wheelchair_access": "sì,no",
    "hearing_access": "sì,no",
    "sight_access": "sì,no",
    "accepts_referrals": "sì,no",
    "freq": "settimanale,mensile",
    "status": "bozza,pubblicata",
}
TEXT_COLUMNS = {"postcode", "phone", "byday", "opens_at", "closes_at"}
DATE_COLUMNS = {"valid_from", "valid_to"}


def xlsx(by=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    append_row(sheet, [column.header for column in COLUMNS])
    for number, column in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=number)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = 40 if column.key == "description" else 18
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
        elif column.key in DATE_COLUMNS:
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
        if column.key in CHOICES:
            validation = DataValidation(
                type="list", formula1=f'"{CHOICES[column.key]}"', allow_blank=True
            )
            validation.error = _("Choose one of: %(choices)s.") % {
                "choices": CHOICES[column.key].replace(",", ", ")
            }
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "C2"
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), by)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes() -> bytes:
    """Headers only, separated by ";" as Excel in Italian expects, in UTF-8 with a BOM so that
    Excel shows the accents."""
    output = io.StringIO()
    csv_writer(output, delimiter=";").writerow([column.header for column in COLUMNS])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


def _instructions(sheet, by) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 80
    sheet.column_dimensions["D"].width = 32

    def title(text: str) -> None:
        append_row(sheet)
        append_row(sheet, [text])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)

    def header(*labels: str) -> None:
        append_row(sheet, list(labels))
        for number in range(1, len(labels) + 1):
            cell = sheet.cell(row=sheet.max_row, column=number)
            cell.font, cell.fill = BOLD, HEADER_FILL

    append_row(sheet, [_("How to fill in the “%(sheet)s” sheet") % {"sheet": SHEET_NAME}])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _("One row is one activity, with the place where it happens and one recurring schedule."),
        _("Keep the headers of row 1 as they are; leave out the columns you do not need."),
        _("Do not merge cells. Write several values in one cell separated by “;”."),
        _(
            "Upload the file: you will see every problem by row and column before anything is "
            "saved, and nothing is saved until all the rows are correct."
        ),
    ):
        append_row(sheet, [line])
    title(_("Columns"))
    header(_("Column"), _("Required"), _("What to write"), _("Example"))
    for column in COLUMNS:
        append_row(
            sheet,
            [column.header, _("yes") if column.required else "", str(column.help), column.example],
        )
        for number in (1, 2, 3, 4):
            sheet.cell(row=sheet.max_row, column=number).alignment = WRAP
    title(_("Example row"))
    header(*[column.header for column in COLUMNS])
    append_row(sheet, [column.example for column in COLUMNS])

    terms = TaxonomyTerm.objects.filter(
        taxonomy__code__in=[Taxonomy.DOMAIN, Taxonomy.NEED, Taxonomy.TARGET_GROUP]
    ).select_related("taxonomy", "parent")
    by_taxonomy = {}
    for term in terms:
        by_taxonomy.setdefault(term.taxonomy, []).append(term)
    headers = {
        Taxonomy.DOMAIN: "Ambiti",
        Taxonomy.NEED: "Bisogni",
        Taxonomy.TARGET_GROUP: "Destinatari",
    }
    for taxonomy in sorted(by_taxonomy, key=lambda t: list(headers).index(t.code)):
        title(f"{headers[taxonomy.code]} — {taxonomy.label}")
        header(_("Code"), "", _("Name"))
        for term in by_taxonomy[taxonomy]:
            label = f"{term.parent.label} › {term.label}" if term.parent else term.label
            append_row(sheet, [term.code, "", label])

    if by is not None and by.is_authenticated:
        organisations = Organisation.objects.order_by("name")
        if effective_role(by) != SUPERUSER:
            organisations = organisations_editable(by, organisations)
        organisations = list(organisations[: MAX_ORGANISATIONS_LISTED + 1])
        if organisations:
            title(_("Organisations you may list activities for"))
            header(_("Name"), "", _("Codice fiscale"))
            for organisation in organisations[:MAX_ORGANISATIONS_LISTED]:
                append_row(sheet, [organisation.name, "", organisation.tax_code])
            if len(organisations) > MAX_ORGANISATIONS_LISTED:
                append_row(sheet, [_("… and more: search the network of actors.")])
