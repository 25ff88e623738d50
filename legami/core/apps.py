from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", **kwargs):
    """The database cache's table, made by every `migrate` (a fresh clone, the test databases,
    CI) and left alone when it exists or when the cache is elsewhere (Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "legami.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="legami-cache-table")
