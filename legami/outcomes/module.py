from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest
from legami.core.roles import EVALUATOR, TERRITORY_ADMIN

from . import queries, subject
from .permissions import policy

MODULE = Manifest(
    label="outcomes",
    title=_("Impact measurement"),
    case_reminders=queries.case_reminders,
    subject_data=subject.ENTRY,
    menu=(
        Entry(
            _("Impact"),
            "outcomes:dashboard",
            policy,
            "dashboard",
            roles=frozenset({TERRITORY_ADMIN, EVALUATOR}),
            order=50,
        ),
    ),
    work=(
        Entry(
            _("Questionnaires due"),
            "outcomes:due",
            policy,
            "administer",
            description=_("Follow-ups of your caseload due this week or overdue."),
            count=queries.due_count,
            count_label=_("due"),
            order=20,
        ),
        Entry(
            _("Impact on people"),
            "outcomes:dashboard",
            policy,
            "dashboard",
            description=_("Change in well-being by programme, place and group."),
            order=10,
        ),
        Entry(_("Social priorities"), "outcomes:priorities", policy, "priorities", order=11),
        Entry(
            _("Impact on organisations"),
            "outcomes:organisations",
            policy,
            "indicators_read",
            order=12,
        ),
        Entry(_("Qualitative evidence"), "outcomes:evidence", policy, "evidence", order=13),
        Entry(
            _("Social return on investment (SROI)"),
            "outcomes:sroi_list",
            policy,
            "sroi_read",
            order=14,
        ),
        Entry(
            _("Organisation surveys and event feedback"),
            "outcomes:surveys",
            policy,
            "surveys",
            order=15,
        ),
        Entry(_("Questionnaires"), "outcomes:questionnaires", policy, "build", order=16),
        Entry(
            _("Surveys for your organisation"),
            "outcomes:surveys_to_answer",
            policy,
            "survey_answer",
            order=30,
        ),
        Entry(
            _("Questionnaire answers for research (CSV, pseudonymised)"),
            "outcomes:research_csv",
            policy,
            "research",
            order=60,
        ),
    ),
)
