"""Importing activities from a spreadsheet: template, dry run, every problem by row and column,
all-or-nothing commit, pages, command, and 15,000 rows in bulk.

Tests run in Italian and the messages are translated later, so they assert on row numbers and
column headers, never on the English text of a message."""

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from legami.core.models import AuditEvent
from legami.directory import services
from legami.directory.models import Activity, CostOption, Place, Schedule
from legami.directory.spreadsheet import columns, reader, template
from legami.directory.spreadsheet.importer import ImportReport, import_activities

HEADERS = [column.header for column in columns.COLUMNS]
KEYS = [column.key for column in columns.COLUMNS]
HEADER = columns.BY_KEY


def good_row(**changes) -> dict:
    row = {
        "organisation": "Associazione Amiata Cammina",
        "name": "Coro del giovedì",
        "description": "Cantiamo insieme canti popolari dell'Amiata.",
        "domains": "musica; socialita",
        "needs": "Solitudine e isolamento",
        "target_groups": "adulti; anziani",
        "comune": "Arcidosso (GR)",
        "place_name": "Sala parrocchiale",
        "address": "Via Roma 1",
        "postcode": "58031",
        "latitude": "42.8713",
        "longitude": "11.5410",
        "wheelchair_access": "sì",
        "hearing_access": "no",
        "sight_access": "",
        "freq": "settimanale",
        "byday": "gio",
        "opens_at": "18:00",
        "closes_at": "19:30",
        "valid_from": "01/10/2026",
        "valid_to": "31/05/2027",
        "min_age": "16",
        "max_age": "",
        "languages": "it, en",
        "cost": "0",
        "capacity": "20",
        "accepts_referrals": "sì",
        "referral_slots": "3",
        "how_to_join": "Telefonare al referente.",
        "contact_name": "Maria Rossi",
        "email": "coro@esempio.it",
        "phone": "0564 000000",
        "url": "www.esempio.it/coro",
        "status": "bozza",
    }
    row.update(changes)
    return row


def xlsx(rows, *, sheet="Attività", headers=None, merge=None, more_sheets=()) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers or HEADERS)
    for row in rows:
        worksheet.append([row.get(key) for key in KEYS])
    if merge:
        worksheet.merge_cells(merge)
    for name in more_sheets:
        workbook.create_sheet(name)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig", headers=None) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(headers or HEADERS)
    for row in rows:
        writer.writerow([row.get(key, "") for key in KEYS])
    return output.getvalue().encode(encoding)


def where(report: ImportReport) -> set[tuple]:
    """(row, column header) of every problem."""
    return {(p.row, p.column) for p in report.problems}


def run(by, data, *, dry_run=False, filename="attivita.xlsx") -> ImportReport:
    return import_activities(by=by, file=data, filename=filename, dry_run=dry_run)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed before each test; a fast hasher keeps this file quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def provider(world, personas):
    return personas["provider"]


@pytest.fixture
def admin(world, personas):
    return personas["territory_admin"]


# --- template -------------------------------------------------------------------------------------
def test_template_explains_every_column_and_reimports_once_filled(provider, world):
    workbook = load_workbook(io.BytesIO(template.xlsx(provider)))
    assert workbook.sheetnames == ["Attività", "Istruzioni"]
    sheet = workbook["Attività"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1  # no example row to import by mistake
    instructions = [
        cell for row in workbook["Istruzioni"].iter_rows(values_only=True) for cell in row if cell
    ]
    for column in columns.COLUMNS:
        assert column.header in instructions
    assert "camminate-natura" in instructions  # the codes of the classifications
    assert "Associazione Amiata Cammina" in instructions  # the provider's organisation
    assert "Comune di Casalecchio di Reno" not in instructions

    row = good_row()
    for number, key in enumerate(KEYS, 1):
        sheet.cell(row=2, column=number, value=row[key])
    output = io.BytesIO()
    workbook.save(output)
    report = run(provider, output.getvalue())
    assert report.ok, report.problems
    activity = Activity.objects.get(name="Coro del giovedì")
    assert activity.organisation == world["association"]
    assert activity.place.comune == world["arcidosso"]
    assert activity.schedules.get().byday == "TH"


def test_untouched_template_imports_nothing(provider):
    report = run(provider, template.xlsx(provider))
    assert not report.ok and report.problems[0].row is None


def test_csv_template_has_the_headers(provider):
    content = template.csv_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").strip().split(";") == HEADERS
    assert not run(provider, content).ok  # headers only


def test_template_pages(client_for, world):
    client = client_for("provider")
    response = client.get(reverse("directory:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == template.XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Attività", "Istruzioni"]
    response = client.get(reverse("directory:import_template") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert HEADERS[1] in response.content.decode("utf-8-sig")


# --- dry run and commit -----------------------------------------------------------------------
def test_dry_run_checks_everything_and_writes_nothing(provider):
    before = (Activity.objects.count(), Place.objects.count(), AuditEvent.objects.count())
    report = run(provider, xlsx([good_row(), good_row(name="Altro")]), dry_run=True)
    assert report.ok
    assert (report.activities, report.places_new, report.schedules) == (2, 1, 2)
    assert not report.committed
    assert (Activity.objects.count(), Place.objects.count(), AuditEvent.objects.count()) == before


def test_commit_writes_activity_place_schedule_cost_terms_and_one_audit_event(provider, world):
    rows = [
        good_row(),
        good_row(
            name="Gruppo di lettura",
            place_name="castello",  # the association's existing place, whatever the case
            address="",
            latitude="",
            longitude="",
            cost="7,50",
            freq="mensile",
            byday="1sab",
            opens_at=time(10, 0),
            closes_at=time(12, 0),
            valid_from=datetime(2026, 1, 10),
            valid_to=None,
            status="pubblicata",
            domains="lettura",
            needs="",
            target_groups="",
        ),
        good_row(
            name="Ascolto telefonico",
            comune="",
            place_name="",
            address="",
            postcode="",
            latitude="",
            longitude="",
            freq="",
            byday="",
            opens_at="",
            closes_at="",
            valid_from="",
            valid_to="",
        ),
    ]
    audit_before = AuditEvent.objects.count()
    report = run(provider, xlsx(rows), filename="offerta 2026.xlsx")
    assert report.ok, report.problems
    assert report.committed
    assert (report.activities, report.places_new, report.places_reused) == (3, 1, 1)

    choir = Activity.objects.get(name="Coro del giovedì")
    assert choir.place.name == "Sala parrocchiale"
    assert (choir.place.latitude, choir.place.wheelchair_access) == (42.8713, True)
    assert choir.place.postcode == "58031"
    assert sorted(t.code for t in choir.terms.all()) == [
        "adulti",
        "anziani",
        "musica",
        "socialita",
        "solitudine",
    ]
    assert (choir.min_age, choir.max_age, choir.capacity, choir.referral_slots) == (16, None, 20, 3)
    assert choir.languages == "it,en"
    assert choir.url == "https://www.esempio.it/coro"
    assert choir.is_free and choir.status == "draft"
    assert choir.last_verified_on == date.today()
    schedule = choir.schedules.get()
    assert (schedule.freq, schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "WEEKLY",
        "TH",
        time(18),
        time(19, 30),
    )
    assert (schedule.valid_from, schedule.valid_to) == (date(2026, 10, 1), date(2027, 5, 31))

    reading = Activity.objects.get(name="Gruppo di lettura")
    assert reading.place == world["place"]  # reused, not duplicated
    assert reading.status == "published" and not reading.is_free
    assert reading.cost_options.get().amount == Decimal("7.50")
    assert reading.schedules.get().byday == "1SA"
    phone = Activity.objects.get(name="Ascolto telefonico")
    assert phone.place is None and not phone.schedules.exists()

    # The derived fields are those the services compute one activity at a time.
    for activity in (choir, reading, phone):
        stored = (activity.search_text, activity.search_stems, activity.is_free)
        stored_next = activity.next_session_at
        services.reindex(activity)
        activity.refresh_from_db()
        assert stored == (activity.search_text, activity.search_stems, activity.is_free)
        assert stored_next == activity.next_session_at
    assert choir.next_session_at is not None

    events = AuditEvent.objects.order_by("pk")[audit_before:]
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.object_type) == ("create", "directory.activity")
    assert event.purpose == "import offerta 2026.xlsx: 3 activities"
    assert event.actor == provider


def test_english_headers_and_codes_are_accepted(provider):
    english = {
        "organisation": "organisation",
        "name": "name",
        "description": "description",
        "domains": "domains",
        "comune": "municipality",
        "place_name": "place",
        "freq": "frequency",
        "byday": "days",
        "opens_at": "start time",
        "closes_at": "end time",
        "valid_from": "valid from",
        "status": "status",
    }
    row = good_row(freq="WEEKLY", byday="MO,WE", status="published", comune="053001")
    headers = [english.get(key, HEADER[key].header) for key in KEYS]
    report = run(provider, xlsx([row], headers=headers))
    assert report.ok, report.problems
    activity = Activity.objects.get(name="Coro del giovedì")
    assert activity.status == "published"
    assert activity.schedules.get().byday == "MO,WE"


# --- problems by row and column ---------------------------------------------------------------
BAD_CELLS = [
    ({"comune": "Atlantide"}, "comune"),
    ({"opens_at": "25:00"}, "opens_at"),
    ({"opens_at": "18:00", "closes_at": "17:00"}, "closes_at"),
    ({"domains": "musica; astrologia"}, "domains"),
    ({"needs": "noia"}, "needs"),
    ({"target_groups": "marziani"}, "target_groups"),
    ({"name": ""}, "name"),
    ({"description": "   "}, "description"),
    ({"capacity": "-1"}, "capacity"),
    ({"capacity": "tanti"}, "capacity"),
    ({"referral_slots": "-2"}, "referral_slots"),
    ({"latitude": "48.9", "longitude": "2.35"}, "latitude"),
    ({"latitude": "42.87", "longitude": ""}, "longitude"),
    ({"latitude": "nord"}, "latitude"),
    # Mondays between a Wednesday and a Friday: the rule never occurs.
    ({"byday": "lun", "valid_from": "02/12/2026", "valid_to": "04/12/2026"}, "byday"),
    ({"byday": "1sab"}, "byday"),  # a position in a weekly rule
    ({"byday": "funday"}, "byday"),
    ({"freq": "annuale"}, "freq"),
    ({"valid_from": "31/02/2026"}, "valid_from"),
    ({"valid_from": "01/06/2027", "valid_to": "01/01/2027"}, "valid_to"),
    ({"opens_at": ""}, "opens_at"),
    ({"min_age": "70", "max_age": "18"}, "max_age"),
    ({"min_age": "130"}, "min_age"),
    ({"languages": "it, klingon"}, "languages"),
    ({"cost": "-3"}, "cost"),
    ({"cost": "gratis"}, "cost"),
    ({"wheelchair_access": "forse"}, "wheelchair_access"),
    ({"accepts_referrals": "boh"}, "accepts_referrals"),
    ({"status": "archiviata"}, "status"),
    ({"email": "non-una-mail"}, "email"),
    ({"postcode": "5803"}, "postcode"),
    ({"organisation": "Associazione Inesistente"}, "organisation"),
    ({"name": "x" * 201}, "name"),
    ({"place_name": ""}, "place_name"),
]


def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_written(provider):
    """One file, a good row between bad ones: each bad row is reported, the good ones are not,
    and nothing is written."""
    rows, expected = [good_row(name="Prima")], {}
    for number, (changes, key) in enumerate(BAD_CELLS):
        rows.append(good_row(**{"name": f"Sbagliata {number}", **changes}))
        expected[len(rows) + 1] = HEADER[key].header  # + 1: the header is row 1
        rows.append(good_row(name=f"Buona {number}"))
    before = (Activity.objects.count(), Place.objects.count(), Schedule.objects.count())
    report = run(provider, xlsx(rows))
    assert not report.ok and not report.committed
    found = where(report)
    missing = {(row, column) for row, column in expected.items() if (row, column) not in found}
    assert not missing, (missing, report.problems)
    assert {p.row for p in report.problems} == set(expected), report.problems
    assert (Activity.objects.count(), Place.objects.count(), Schedule.objects.count()) == before


@pytest.mark.parametrize(("changes", "key"), BAD_CELLS[:3])
def test_one_bad_row_among_good_ones_writes_nothing(provider, changes, key):
    rows = [good_row(name="Prima"), good_row(**{"name": "Seconda", **changes}), good_row()]
    report = run(provider, xlsx(rows))
    assert where(report) >= {(3, HEADER[key].header)}
    assert not Activity.objects.filter(name="Prima").exists()


def test_every_problem_of_every_row_is_reported(provider):
    rows = [
        good_row(name="Uno", opens_at="25:00", comune="Atlantide"),
        good_row(name="Due"),
        good_row(name="Tre", capacity="-5", domains="astrologia"),
        good_row(name="", description=""),
    ]
    report = run(provider, xlsx(rows))
    assert where(report) == {
        (2, "Ora inizio"),
        (2, "Comune"),
        (4, "Posti disponibili"),
        (4, "Ambiti"),
        (5, "Nome attività"),
        (5, "Descrizione"),
    }
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)
    assert all(p.letter for p in report.problems)
    assert report.problems[0].letter == "G"  # Comune is the seventh column


def test_the_unknown_term_is_named(provider):
    report = run(provider, xlsx([good_row(domains="musica; astrologia")]))
    (problem,) = report.problems
    assert "astrologia" in problem.message and "musica" not in problem.message


def test_duplicates_in_the_file_and_in_the_directory(provider, world):
    rows = [
        good_row(),
        good_row(name="coro  del giovedì", place_name="Altra sala"),  # same name and comune
        good_row(comune="Massa Marittima"),  # another comune: fine
        good_row(name="Camminata nei castagneti"),  # already in the directory (world)
    ]
    report = run(provider, xlsx(rows))
    assert where(report) == {(3, "Nome attività"), (5, "Nome attività")}
    assert "2" in report.problems[0].message  # names the first row
    assert "Associazione Amiata Cammina" in report.problems[1].message


def test_a_provider_cannot_import_for_another_organisation(provider, world):
    rows = [good_row(), good_row(name="Altro", organisation="Comune di Casalecchio di Reno")]
    report = run(provider, xlsx(rows))
    assert where(report) == {(3, "Organizzazione")}
    assert not Activity.objects.filter(name="Coro del giovedì").exists()


def test_a_provider_with_one_organisation_may_leave_it_empty(provider, world):
    report = run(provider, xlsx([good_row(organisation="")]))
    assert report.ok, report.problems
    assert Activity.objects.get(name="Coro del giovedì").organisation == world["association"]


def test_territory_admin_imports_within_the_territory_only(admin, world):
    rows = [
        good_row(organisation="Comune di Arcidosso"),
        good_row(organisation="Comune di Casalecchio di Reno", comune="Casalecchio di Reno"),
        good_row(name="Fuori", comune="Zola Predosa"),
        good_row(name="Pubblicata", status="pubblicata"),
    ]
    report = run(admin, xlsx(rows))
    assert where(report) == {(3, "Organizzazione"), (3, "Comune"), (4, "Comune")}
    report = run(admin, xlsx([rows[0], rows[3]]))
    assert report.ok, report.problems
    assert Activity.objects.get(name="Pubblicata").status == "published"


def test_organisation_by_codice_fiscale(admin, world, personas):
    from legami.network import services as network

    coop = network.organisation_create(
        by=personas["superuser"],
        name="Coop Sociale",
        sector="social_cooperative",
        comune=world["arcidosso"],
        tax_code="00297960197",
    )
    report = run(admin, xlsx([good_row(organisation="00297960197")]))
    assert report.ok, report.problems
    assert Activity.objects.get(name="Coro del giovedì").organisation == coop


def test_comune_by_istat_code_name_or_name_with_province(provider, world):
    rows = [
        good_row(name="A", comune="53001"),
        good_row(name="B", comune="arcidosso"),
        good_row(name="C", comune="Arcidosso (GR)"),
        good_row(name="D", comune="Arcidosso (BO)"),
    ]
    report = run(provider, xlsx(rows))
    assert where(report) == {(5, "Comune")}


def test_real_excel_dates_times_and_numbers(provider):
    row = good_row(
        valid_from=datetime(2026, 9, 15),
        valid_to=date(2027, 6, 30),
        opens_at=time(9, 30),
        closes_at=time(11, 0),
        latitude=42.8713,
        longitude=11.541,
        postcode=58031,
        capacity=15,
        cost=5,
        min_age=18.0,
    )
    report = run(provider, xlsx([row]))
    assert report.ok, report.problems
    activity = Activity.objects.get(name="Coro del giovedì")
    schedule = activity.schedules.get()
    assert (schedule.valid_from, schedule.opens_at) == (date(2026, 9, 15), time(9, 30))
    assert (activity.capacity, activity.min_age) == (15, 18)
    assert activity.cost_options.get().amount == Decimal("5.00")


def test_a_weekly_rule_without_days_spells_out_the_start_day(provider):
    row = good_row(byday="", valid_from="05/10/2026")  # a Monday
    assert run(provider, xlsx([row])).ok
    assert Schedule.objects.get(activity__name="Coro del giovedì").byday == "MO"


# --- the file as a whole ----------------------------------------------------------------------
def test_merged_cells_are_refused_naming_sheet_and_cells(provider):
    report = run(provider, xlsx([good_row(), good_row(name="Altro")], merge="B2:C3"))
    (problem,) = report.problems
    assert problem.row is None
    assert "B2:C3" in problem.message and "Attività" in problem.message
    assert not Activity.objects.filter(name="Altro").exists()


def test_a_workbook_without_the_activity_sheet_is_refused_naming_its_sheets(provider):
    data = xlsx([good_row()], sheet="Foglio1", more_sheets=["Foglio2"])
    report = run(provider, data)
    (problem,) = report.problems
    assert "Foglio1" in problem.message and "Attività" in problem.message


def test_a_single_sheet_with_another_name_is_read(provider):
    report = run(provider, xlsx([good_row()], sheet="Foglio1", more_sheets=["Istruzioni"]))
    assert report.ok, report.problems


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x01",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an old .xls
        b"",
        b"PK\x03\x04 not really a zip",
        b"Caro direttore,\nle scrivo per chiederle...\n",
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(provider, content):
    report = run(provider, content, filename="attivita.xlsx")
    assert not report.ok and report.problems[0].row in (None, 1)
    assert Activity.objects.filter(organisation__name="Associazione Amiata Cammina").count() == 1


def test_a_zip_that_is_not_a_workbook_is_refused(provider):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    report = run(provider, output.getvalue(), filename="attivita.xlsx")
    (problem,) = report.problems
    assert problem.row is None


def test_a_file_over_ten_megabytes_is_refused(provider):
    report = run(provider, b"a;b\n" * (3 * 1024 * 1024))
    (problem,) = report.problems
    assert "10" in problem.message


def test_the_content_decides_not_the_extension(provider):
    assert run(provider, csv_bytes([good_row()]), filename="attivita.xlsx").ok


def test_csv_with_semicolons_italian_numbers_and_windows_encoding(provider):
    rows = [good_row(latitude="42,8713", longitude="11,541", cost="2,50", name="Caffè à la carte")]
    report = run(provider, csv_bytes(rows, encoding="cp1252"), filename="attivita.csv")
    assert report.ok, report.problems
    activity = Activity.objects.get(name="Caffè à la carte")
    assert activity.place.latitude == 42.8713
    assert activity.cost_options.get().amount == Decimal("2.50")


def test_csv_with_commas_reports_csv_rows(provider):
    rows = [good_row(), good_row(name="Altro", opens_at="25:00")]
    report = run(provider, csv_bytes(rows, delimiter=","), filename="attivita.csv")
    assert where(report) == {(3, "Ora inizio")}


def test_csv_with_excel_separator_hint(provider):
    data = b"sep=,\n" + csv_bytes([good_row()], delimiter=",", encoding="utf-8")
    assert run(provider, data, filename="attivita.csv").ok


def test_too_many_rows_are_refused(provider, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 2)
    report = run(provider, xlsx([good_row(name=str(i)) for i in range(3)]))
    (problem,) = report.problems
    assert problem.row is None and "2" in problem.message


def test_unknown_columns_are_ignored_with_a_warning_and_missing_ones_refused(provider):
    headers = [*HEADERS[:-1], "Note interne"]
    report = run(provider, xlsx([good_row()], headers=headers))
    assert report.ok and "Note interne" in report.warnings[0]
    report = run(provider, xlsx([good_row()], headers=["Organizzazione", "Comune"]))
    assert not report.ok
    assert "Descrizione" in report.problems[0].column
    report = run(provider, xlsx([good_row()], headers=["a", "b", "c"]))
    assert not report.ok and report.problems[0].row == 1


# --- speed: bulk writes ----------------------------------------------------------------------
def activities_workbook(count: int, organisations: list[str], comuni: list[str]) -> bytes:
    """A realistic spreadsheet of `count` activities (also used to measure the import)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Attività")
    sheet.append(HEADERS)
    domains = ["musica", "lettura", "sport; camminate-natura", "giardinaggio", "teatro", ""]
    needs = ["solitudine", "inattivita; anziani", "umore-ansia", "", "giovani"]
    days = [
        ("settimanale", "lun"),
        ("settimanale", "mar, gio"),
        ("mensile", "1sab"),
        ("settimanale", "ven"),
        ("mensile", "-1dom"),
        ("settimanale", "mer"),
    ]
    for i in range(count):
        freq, byday = days[i % len(days)]
        hour = 8 + i % 10
        row = good_row(
            organisation=organisations[i % len(organisations)],
            name=f"Attività di comunità n. {i}",
            description=f"Incontro numero {i} per stare insieme, imparare e camminare.",
            domains=domains[i % len(domains)],
            needs=needs[i % len(needs)],
            target_groups="adulti; anziani" if i % 2 else "famiglie",
            comune=comuni[i % len(comuni)],
            place_name=f"Sala {i % 40}",
            latitude=42.8 + (i % 100) / 1000,
            longitude=11.5 + (i % 100) / 1000,
            freq=freq,
            byday=byday,
            opens_at=f"{hour:02d}:00",
            closes_at=f"{hour + 1:02d}:30",
            valid_from=date(2026, 1 + i % 12, 1),
            valid_to=date(2027, 12, 31) if i % 3 else None,
            cost=["0", "5", "7,50", ""][i % 4],
            capacity=10 + i % 30,
            status="pubblicata" if i % 2 else "bozza",
        )
        sheet.append([row[key] for key in KEYS])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


ORGANISATIONS = ["Associazione Amiata Cammina", "Comune di Arcidosso"]
COMUNI = ["Arcidosso", "Massa Marittima (GR)", "053001"]


def test_a_300_row_commit_takes_a_bounded_number_of_queries(admin, django_assert_max_num_queries):
    data = activities_workbook(300, ORGANISATIONS, COMUNI)
    with django_assert_max_num_queries(60):
        report = run(admin, data)
    assert report.ok, report.problems[:5]
    assert report.activities == 300


@pytest.mark.django_db(transaction=False)
def test_fifteen_thousand_rows_in_bulk(admin):
    data = activities_workbook(15_000, ORGANISATIONS, COMUNI)
    before = {model: model.objects.count() for model in (Activity, Place, Schedule, CostOption)}
    report = run(admin, data, filename="quindicimila.xlsx")
    assert report.ok, report.problems[:5]
    assert report.activities == 15_000
    created = {model: model.objects.count() - n for model, n in before.items()}
    assert created[Activity] == 15_000
    assert created[Schedule] == 15_000
    # 40 place names, each always with the same organisation, in 2 comuni ("053001" is Arcidosso).
    assert created[Place] == report.places_new == 40 * 2
    assert created[CostOption] == 7_500
    assert Activity.objects.filter(status="published", next_session_at__isnull=False).count() > 0
    assert Activity.terms.through.objects.filter(activity__name__startswith="Attività di").count()
    assert AuditEvent.objects.filter(purpose="import quindicimila.xlsx: 15000 activities").count()


# --- pages ------------------------------------------------------------------------------------
@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def _upload(client, data, name="attivita.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("directory:import_upload"), {"file": upload})


def test_upload_preview_confirm(client_for, world, imports_dir):
    client = client_for("provider")
    page = client.get(reverse("directory:import_upload"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="file"' in body and 'for="id_file"' in body
    assert reverse("directory:import_template") in body

    response = _upload(client, xlsx([good_row(), good_row(name="Altro")]))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:import_confirm")
    assert len(list(imports_dir.glob("*.upload"))) == 1
    preview = client.get(reverse("directory:import_confirm"))
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Coro del giovedì" in body and 'type="submit"' in body
    assert not Activity.objects.filter(name="Altro").exists()

    done = client.post(reverse("directory:import_confirm"))
    assert done.status_code == 302
    assert Activity.objects.filter(name__in=["Coro del giovedì", "Altro"]).count() == 2
    assert not list(imports_dir.glob("*.upload"))
    # Confirming twice imports nothing more.
    client.post(reverse("directory:import_confirm"))
    assert Activity.objects.filter(name="Altro").count() == 1


def test_upload_with_problems_shows_them_and_keeps_nothing(client_for, world, imports_dir):
    client = client_for("territory_admin")
    rows = [good_row(organisation="Comune di Arcidosso"), good_row(opens_at="25:00")]
    _upload(client, xlsx(rows))
    body = client.get(reverse("directory:import_confirm")).content.decode()
    assert "Ora inizio" in body and "<td>3</td>" in body
    assert "25:00" in body
    assert not list(imports_dir.glob("*.upload"))
    client.post(reverse("directory:import_confirm"))
    assert not Activity.objects.filter(name="Coro del giovedì").exists()


def test_upload_of_a_file_that_is_not_a_spreadsheet(client_for, world, imports_dir):
    client = client_for("provider")
    _upload(client, b"%PDF-1.4\x00\x00binary", name="attivita.xlsx")
    response = client.get(reverse("directory:import_confirm"))
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()


def test_confirmation_rechecks_the_file(client_for, world, personas, imports_dir):
    """If the same activity was added between the preview and the confirmation, nothing is
    imported and the problem is shown."""
    client = client_for("provider")
    _upload(client, xlsx([good_row(name="Altro"), good_row()]))
    services.activity_create(
        by=personas["superuser"],
        organisation=world["association"],
        place=services.place_create(
            by=personas["superuser"],
            organisation=world["association"],
            name="Sala parrocchiale",
            comune=world["arcidosso"],
        ),
        name="Coro del giovedì",
        description="Già inserita a mano.",
    )
    response = client.post(reverse("directory:import_confirm"))
    assert response["Location"] == reverse("directory:import_confirm")
    body = client.get(reverse("directory:import_confirm")).content.decode()
    assert "<td>3</td>" in body and "Nome attività" in body
    assert not Activity.objects.filter(name="Altro").exists()
    assert not list(imports_dir.glob("*.upload"))


def test_cancel_deletes_the_stored_file(client_for, world, imports_dir):
    client = client_for("provider")
    _upload(client, xlsx([good_row()]))
    assert list(imports_dir.glob("*.upload"))
    response = client.post(reverse("directory:import_confirm"), {"cancel": "1"})
    assert response.status_code == 302
    assert not list(imports_dir.glob("*.upload"))
    assert not Activity.objects.filter(name="Coro del giovedì").exists()


def test_the_pending_file_belongs_to_the_session(client_for, world, imports_dir):
    _upload(client_for("provider"), xlsx([good_row()]))
    other = client_for("provider")  # same person, another session
    assert 'name="cancel"' not in other.get(reverse("directory:import_confirm")).content.decode()
    other.post(reverse("directory:import_confirm"))
    assert not Activity.objects.filter(name="Coro del giovedì").exists()


@pytest.mark.parametrize("role", ["citizen", "prescriber", "link_worker", "evaluator", "dpo"])
def test_other_roles_may_not_import(client_for, world, role):
    client = client_for(role)
    for name in ("import_upload", "import_template", "import_confirm"):
        assert client.get(reverse(f"directory:{name}")).status_code == 403
    assert _upload(client, xlsx([good_row()])).status_code == 403


# --- command ----------------------------------------------------------------------------------
def test_command_dry_run_import_and_errors(world, personas, tmp_path):
    good = tmp_path / "attivita.xlsx"
    good.write_bytes(xlsx([good_row()]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_activities", str(good), "--dry-run", stdout=out, stderr=err)
    assert not Activity.objects.filter(name="Coro del giovedì").exists()
    call_command("import_activities", str(good), "--as", "provider@test.legami.example", stdout=out)
    assert Activity.objects.filter(name="Coro del giovedì").exists()

    bad = tmp_path / "sbagliato.csv"
    bad.write_bytes(csv_bytes([good_row(name="Nuovo", opens_at="25:00", comune="Atlantide")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_activities", str(bad), stdout=io.StringIO(), stderr=err)
    printed = err.getvalue()
    assert "2" in printed and "Ora inizio" in printed and "Comune" in printed
    assert not Activity.objects.filter(name="Nuovo").exists()

    with pytest.raises(CommandError):
        call_command(
            "import_activities",
            str(good),
            "--as",
            "citizen@test.legami.example",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError):
        call_command("import_activities", str(good), "--as", "nobody@example.org")


def test_reader_limits():
    assert reader.MAX_BYTES == 10 * 1024 * 1024
    assert columns.column_for(" ETÀ MINIMA * ") == "min_age"
    assert columns.column_for("Costo (€)") == columns.column_for("cost") == "cost"


@pytest.mark.parametrize(
    "sample",
    [
        "Attività di comunità n. 12345 per anziani",
        "CAFFÈ à la carte, Sant’Angelo, İstanbul, Straße, ½ prezzo, ﬁne",
        "Passeggiate nei castagneti: l'Amiata d'autunno — 3° incontro",
        "",
        "plain ascii words only 2026",
    ],
)
def test_the_fast_fold_and_stems_match_the_directory_text_helpers(sample):
    from legami.directory import text
    from legami.directory.spreadsheet import importer

    assert importer.fold(sample) == text.fold(sample)
    assert importer.stems(importer.fold(sample), {}) == text.stems(sample)


def test_cell_readers_accept_what_offices_type():
    assert columns.days("MO,TU") == "MO,TU"
    assert columns.days("lun; mer, venerdì") == "MO,WE,FR"
    assert columns.days("1SA, -1VE") == "1SA,-1FR"
    assert columns.days("1 sab") == "1SA"
    assert columns.day("2026-09-15") == columns.day("15/09/2026") == date(2026, 9, 15)
    assert columns.day("15.9.26") == date(2026, 9, 15)
    assert columns.day(46280) == date(2026, 9, 15)  # an Excel day number without a format
    assert columns.time_of_day("9.30") == columns.time_of_day(0.3958333) == time(9, 30)
    assert columns.money("€ 1.234,50") == Decimal("1234.50")
    assert columns.money(7.5) == Decimal("7.50")
    assert columns.boolean("Sì", False) and not columns.boolean("NO", True)
    assert columns.boolean(None, True)
    assert columns.frequency("MONTHLY") == columns.frequency("Mensile") == "MONTHLY"
    assert columns.status("Pubblicata") == "published" and columns.status("") == "draft"
    assert columns.integer("12,0") == 12
    for reader_function, value in [
        (columns.time_of_day, "24:00"),
        (columns.day, "2026-13-01"),
        (columns.integer, 2.5),
        (columns.days, "1st sat"),
    ]:
        with pytest.raises(columns.CellError):
            reader_function(value)


def test_a_large_import_is_done_by_the_task_worker_and_the_person_told(
    client_for, world, personas, imports_dir, settings, database_tasks
):
    """From LEGAMI_IMPORT_QUEUED_FROM activities (2,000 in production; 2 here) the confirmed
    import is a task: the page answers at once, nothing is written until the worker runs it,
    then everything is, and the person finds a notification and an e-mail."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from legami.core.models import Notification
    from legami.core.tests.outbox import run_worker

    settings.LEGAMI_IMPORT_QUEUED_FROM = 2
    client = client_for("provider")
    _upload(client, xlsx([good_row(), good_row(name="Altro")]))
    done = client.post(reverse("directory:import_confirm"), follow=True)
    assert "è partita" in done.content.decode()  # Italian, the default
    assert not Activity.objects.filter(name="Altro").exists()
    queued = DBTaskResult.objects.filter(task_path="legami.directory.tasks.import_spreadsheet")
    assert queued.count() == 1
    run_worker()
    assert Activity.objects.filter(name__in=["Coro del giovedì", "Altro"]).count() == 2
    assert not list(imports_dir.glob("*.upload"))
    note = Notification.objects.get(user=personas["provider"])
    assert "2 attività importate" in note.subject  # in the person's language
    assert any("2 attività importate" in m.subject for m in mail.outbox)
