from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("view")
    LIST = "list", _("list")
    EXPORT = "export", _("export")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    ERASE = "erase", _("erase")
    LOGIN = "login", _("sign-in")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only")

    def delete(self):
        raise TypeError("The audit log is append-only")


class AuditEvent(models.Model):
    """One row of the append-only audit and access log (docs/security.md).

    Rows are never changed or deleted: the model refuses it and, below it, database
    triggers (migration 0002) refuse it too, so a bug or a raw query cannot rewrite history.
    Because a row outlives the erasure of the person it is about, it never holds a name:
    objects are recorded by type and id (core.audit writes the label), and `person_id` says
    which referred person the row is about, so that "who saw my data" is one indexed lookup.
    """

    at = models.DateTimeField(_("time (UTC)"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # A snapshot: the log must still say who acted after the account changes or goes.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    # A non-personal label ("referral #12"); rows written before 2026-12 were rewritten so
    # (migration 0005, docs/decisions.md).
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The referred person (the id of referrals' Beneficiary) whose data the row is about; a
    # plain id, as core knows nothing of the modules above it.
    person_id = models.PositiveBigIntegerField(_("person"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["person_id", "at"], name="auditevent_person_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only")


class Notification(models.Model):
    """An in-app message to one user (the e-mail twin goes through core.emails). It names what
    happened and links to it; it never carries health details, which stay behind the link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    subject = models.CharField(_("subject"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.subject
