"""Date fields show their value: a browser drops a `<input type="date">` value that is not
ISO, so a form rendered in Italian with `03/12/2025` reads as an empty mm/dd/yyyy field."""

import datetime
import importlib
import pkgutil
from pathlib import Path

from django import forms
from django.utils import translation

import legami
from legami.core import widgets
from legami.referrals.forms.public import AttendanceForm


def _project_forms():
    root = Path(legami.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="legami."):
        leaf = info.name.rsplit(".", 1)[-1]
        if ".tests" in info.name or ".migrations" in info.name or ".management" in info.name:
            continue
        if leaf.startswith(("forms", "queries", "views")):
            importlib.import_module(info.name)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {cls for cls in walk(forms.BaseForm) if cls.__module__.startswith("legami.")}


def test_a_date_field_renders_its_initial_value_in_iso_whatever_the_language():
    for language in ("it", "en", "fr"):
        with translation.override(language):
            html = AttendanceForm(initial={"session_date": datetime.date(2025, 12, 3)}).as_p()
        assert 'type="date"' in html
        assert 'value="2025-12-03"' in html, language


def test_a_bound_date_field_renders_what_was_posted_back_in_iso():
    with translation.override("it"):
        form = AttendanceForm(data={"session_date": "2025-12-03", "present": "9"})
        assert not form.is_valid()
        assert 'value="2025-12-03"' in str(form["session_date"])


def test_every_date_field_of_every_form_uses_the_iso_widget():
    found = _project_forms()
    assert AttendanceForm in found
    wrong = []
    for cls in found:
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                expected = widgets.DateTimeInput
            elif isinstance(field, forms.DateField):
                expected = widgets.DateInput
            else:
                continue
            if not isinstance(field.widget, expected):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not wrong, wrong
