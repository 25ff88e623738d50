from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from legami.core import roles


class Role(models.TextChoices):
    CITIZEN = roles.CITIZEN, roles.LABELS[roles.CITIZEN]
    PRESCRIBER = roles.PRESCRIBER, roles.LABELS[roles.PRESCRIBER]
    LINK_WORKER = roles.LINK_WORKER, roles.LABELS[roles.LINK_WORKER]
    PROVIDER = roles.PROVIDER, roles.LABELS[roles.PROVIDER]
    TERRITORY_ADMIN = roles.TERRITORY_ADMIN, roles.LABELS[roles.TERRITORY_ADMIN]
    EVALUATOR = roles.EVALUATOR, roles.LABELS[roles.EVALUATOR]
    DPO = roles.DPO, roles.LABELS[roles.DPO]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Sign-in is by e-mail; one role per account, because in the
    field a social worker who is also a volunteer uses two accounts and must not mix them."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("it", "Italiano"), ("en", "English"), ("fr", "Français")],
        default="it",
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Made-up account of the demo data.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email
