"""The activity page in the reader's words: languages by name, Italian months in lower case
(Django's own Italian catalogue capitalises them), and wording that assumes no gender."""

import re
from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import translation

from legami.directory.models import Activity

CAPITALISED_MONTH = re.compile(
    r"\d (Gennaio|Febbraio|Marzo|Aprile|Maggio|Giugno|Luglio|Agosto|Settembre|Ottobre|"
    r"Novembre|Dicembre)"
)


def _page(client, activity, language) -> str:
    url = reverse("directory:activity_detail", args=[activity.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("it", "italiano, inglese, lingua dei segni italiana (LIS)"),
        ("en", "Italian, English, Italian Sign Language (LIS)"),
        ("fr", "italien, anglais, langue des signes italienne (LIS)"),
    ],
)
def test_languages_are_written_by_name(language, written, world, client):
    Activity.objects.filter(pk=world["activity"].pk).update(languages="it,en,lis")
    page = _page(client, world["activity"], language)
    assert written in page
    assert "IT, EN" not in page


def test_italian_dates_have_months_in_lower_case(world, client):
    Activity.objects.filter(pk=world["activity"].pk).update(last_verified_on=date(2025, 12, 3))
    page = _page(client, world["activity"], "it")
    assert "3 dicembre 2025" in page
    assert not CAPITALISED_MONTH.search(page)
    with translation.override("it"):
        assert date_filter(date(2025, 12, 3), "l j F Y") == "mercoledì 3 dicembre 2025"
        assert date_filter(date(2026, 1, 9), "DATE_FORMAT") == "09 gennaio 2026"
        assert date_filter(date(2026, 5, 1), "j E Y") == "1 maggio 2026"
    with translation.override("fr"):
        assert date_filter(date(2025, 12, 3), "j E Y") == "3 décembre 2025"
    with translation.override("en"):
        assert date_filter(date(2025, 12, 3), "j F Y") == "3 December 2025"


# What citizens read, which Italian said in the masculine ("Sei iscritto") or with both
# endings ("contattato o contattata"), and now says without a gender.
NEUTRAL = {
    "You are registered": "Iscrizione confermata",
    "Nobody has registered yet.": "Ancora nessuna iscrizione.",
    "How do you prefer to be contacted?": "Come preferisci che ti contattiamo?",
    "What would you like help with?": "In cosa vorresti un aiuto?",
    "When you are free": "Quando hai tempo libero",
}
GENDERED = re.compile(r"\b(sei stato|iscritto|solo o sola|\w+o o \w+a)\b")


def test_citizen_wording_assumes_no_gender():
    with translation.override("it"):
        for english, italian in NEUTRAL.items():
            assert translation.gettext(english) == italian
        for english in (
            "If it was not you, do not give this code to anyone and ignore this e-mail: "
            "without the code nobody sees your data. You can tell your link worker.",
            "Are you feeling alone, or would you like to do something with other people? Tell "
            "us a little about yourself. A person of the service, called link worker, will "
            "contact you to listen to you and find together an activity near you.",
            "A link worker of the person's territory will contact them, listen to what "
            "matters to them and help them find activities near home. You will be told at "
            "each step.",
            *NEUTRAL,
        ):
            italian = translation.gettext(english)
            assert italian != english and not GENDERED.search(italian), italian
