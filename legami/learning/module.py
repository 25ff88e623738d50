from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest
from legami.core.roles import ANONYMOUS, CITIZEN
from legami.outcomes.models import Metric

from . import subject
from .permissions import policy
from .queries import people_trained

MODULE = Manifest(
    label="learning",
    title=_("Training"),
    subject_data=subject.ENTRY,
    metrics={Metric.TRAINING: people_trained},
    menu=(Entry(_("Training"), "learning:index", policy, "browse", order=30),),
    work=(
        Entry(
            _("Run training"),
            "learning:manage",
            policy,
            "manage",
            description=_("Courses, sessions, registrations and attendance."),
            order=20,
        ),
        Entry(
            _("Training"),
            "learning:index",
            policy,
            "browse",
            description=_("Courses and meetings open to citizens, volunteers and workers."),
            roles=frozenset({CITIZEN}),
            order=40,
        ),
        Entry(
            _("My registrations"),
            "learning:mine",
            policy,
            "own_registrations",
            description=_("The sessions you registered for, coming and past."),
            order=41,
        ),
    ),
    home=(
        Entry(
            _("Training"),
            "learning:index",
            policy,
            "browse",
            description=_(
                "Courses and meetings on community welfare, open to citizens, volunteers and "
                "workers: register without an account."
            ),
            cta=_("See the courses"),
            roles=frozenset({ANONYMOUS, CITIZEN}),
            group="citizen",
            order=30,
        ),
    ),
)
