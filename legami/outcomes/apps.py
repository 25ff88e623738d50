from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "legami.outcomes"
    verbose_name = _("Impact measurement")

    def ready(self):
        from legami.core import subject_data

        from . import subject

        subject_data.register(subject.ENTRY)
