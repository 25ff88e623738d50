from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "legami.learning"
    verbose_name = _("Training")

    def ready(self):
        from legami.core import subject_data
        from legami.outcomes.models_indicators import Metric
        from legami.outcomes.queries_indicators import register_metric

        from . import subject
        from .queries import people_trained

        register_metric(Metric.TRAINING, people_trained)
        subject_data.register(subject.ENTRY)
