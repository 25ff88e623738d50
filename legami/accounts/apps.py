from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "legami.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authentication_failed

        from .adapter import second_factor_failed

        authentication_failed.connect(second_factor_failed, dispatch_uid="legami-mfa-failed")
