"""Goal-based outcomes ("che cosa conta per te"): the person's own goals on a referral, in their
words, and how close they feel to each, rated again at every follow-up.

A goal is never edited and a rating never overwritten: a new rating is a new row, so the first
and the latest rating, and the change between them, stay readable. A goal set aside is archived,
not deleted, and no longer counts towards the three a referral may hold at once.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.crypto import EncryptedTextField

MAX_ACTIVE_GOALS = 3
GOAL_TEXT_MAX = 200
RATING_MIN, RATING_MAX = 1, 10


class Goal(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="personal_goals"
    )
    # The person's words: personal data, encrypted at rest like the other texts of a case.
    text = EncryptedTextField(_("goal"))
    # Not auto_now_add: the demo loader tells past stories (`now=` of the services).
    created_at = models.DateTimeField(_("set on"), default=timezone.now)
    created_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)
    archived_at = models.DateTimeField(_("set aside on"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal goal")
        verbose_name_plural = _("personal goals")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["referral", "archived_at"], name="goal_referral_active")]

    def __str__(self):
        return f"{_('Goal')} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.archived_at is None

    # The three below read the prefetched ratings (queries/cases.py goals_of orders them).
    @property
    def first_rating(self):
        ratings = list(self.ratings.all())
        return ratings[0] if ratings else None

    @property
    def latest_rating(self):
        ratings = list(self.ratings.all())
        return ratings[-1] if ratings else None

    @property
    def change(self) -> int | None:
        """Latest minus first rating; None until the goal has been rated twice."""
        ratings = list(self.ratings.all())
        if len(ratings) < 2:
            return None
        return ratings[-1].rating - ratings[0].rating


class GoalRating(models.Model):
    """How close the person feels to the goal, 1 (far) to 10 (reached), on one day."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        _("how close the person feels"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    rated_at = models.DateTimeField(_("rated on"), default=timezone.now)
    rated_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        ordering = ["rated_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN) & Q(rating__lte=RATING_MAX),
                name="goal_rating_between_1_and_10",
            )
        ]

    def __str__(self):
        return f"{self.rating}/10"
