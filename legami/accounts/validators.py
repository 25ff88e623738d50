"""Password validators whose messages reach the user in their language."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with its help text as the error: Django 5.2 changed the error's message
    id ("%d" for "%(min_length)d") without updating the translations, so the error would be
    shown in English on an Italian page; the help text says the same and is translated."""

    def get_error_message(self):
        return self.get_help_text()
