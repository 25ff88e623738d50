"""Qualitative evidence: interviews, focus groups and field observations, coded with a codebook,
so that themes can be counted and quotes found by programme. Participants are pseudonymous
labels ("P1", "volunteer A"), never people of the referrals module; the text is encrypted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from legami.core.crypto import EncryptedTextField
from legami.network.models import Programme


class Code(models.Model):
    """A theme of the codebook ("new friendships", "getting out of the house")."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("what it means"), blank=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codebook")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EvidenceKind(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    FOCUS_GROUP = "focus_group", _("focus group")
    OBSERVATION = "observation", _("field observation")


class Evidence(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    collected_on = models.DateField(_("date"))
    setting = models.CharField(
        _("setting"), max_length=200, help_text=_("Where and in which activity.")
    )
    participants = models.CharField(
        _("participants (pseudonyms)"),
        max_length=200,
        help_text=_("Labels such as P1, P2, volunteer A: never names."),
    )
    text = EncryptedTextField(_("text"), help_text=_("Transcript or notes, without names."))
    codes = models.ManyToManyField(Code, verbose_name=_("codes"), related_name="evidence")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualitative evidence")
        verbose_name_plural = _("qualitative evidence")
        ordering = ["-collected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.collected_on}"
