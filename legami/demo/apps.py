from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data built from the seed documents. It sits at the bottom of the module list
    because it uses every module's services."""

    name = "legami.demo"
    label = "demo"
    verbose_name = "Demo"
