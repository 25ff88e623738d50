"""Widgets for the browser's own date and time pickers.

`<input type="date">` accepts only an ISO value (`2025-12-03`) and silently drops anything
else, so a widget that renders with the active locale's format (`03/12/2025` in Italian)
shows an empty field. Every form uses these widgets, never `forms.DateInput` directly
(`core/tests/test_widgets.py` checks every form of the project).
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%dT%H:%M")


class HiddenDateInput(DateInput):
    """A date carried by a form, not typed (the session a register is for), kept in ISO."""

    input_type = "hidden"
