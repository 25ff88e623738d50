from django.utils.translation import gettext_lazy as _

from legami.core.modules import Entry, Manifest
from legami.core.roles import ANONYMOUS, CITIZEN, PRESCRIBER

from . import demand, queries
from .permissions import policy
from .services import places_left

MODULE = Manifest(
    label="referrals",
    title=_("Social prescribing"),
    menu=(
        Entry(
            _("Ask for help"),
            "referrals:self_refer",
            policy,
            "self_refer",
            roles=frozenset({ANONYMOUS, CITIZEN}),
            order=20,
        ),
        Entry(_("Referrals"), "referrals:list", policy, "refer", order=40),
        Entry(_("Caseload"), "referrals:caseload", policy, "work", order=40),
        Entry(_("Referral inbox"), "referrals:inbox", policy, "respond", order=40),
        Entry(_("Data-subject requests"), "referrals:dpo", policy, "subject_requests", order=60),
    ),
    work=(
        # Prescriber
        Entry(
            _("Refer a person"),
            "referrals:create",
            policy,
            "refer",
            description=_("To a link worker, who finds activities with the person."),
            order=10,
        ),
        Entry(
            _("My referrals"),
            "referrals:list",
            policy,
            "view",
            description=_("Every referral of your organisation and where it stands."),
            roles=frozenset({PRESCRIBER}),
            order=11,
        ),
        # Link worker
        Entry(
            _("My caseload"),
            "referrals:caseload",
            policy,
            "work",
            description=_("Your open cases, overdue first contacts first."),
            order=10,
        ),
        Entry(
            _("Overdue first contacts"),
            "referrals:caseload",
            policy,
            "work",
            query="view=all&overdue=1",
            count=queries.overdue_first_contacts,
            count_label=_("overdue"),
            order=11,
        ),
        Entry(
            _("Waiting for a link worker"),
            "referrals:caseload",
            policy,
            "work",
            query="view=unassigned&status=open",
            count=queries.waiting_for_link_worker,
            count_label=_("waiting"),
            order=12,
        ),
        # Provider
        Entry(
            _("Referral inbox and session registers"),
            "referrals:inbox",
            policy,
            "respond",
            description=_("People sent to your activities: answer, then keep the register."),
            count=queries.provider_answers_waiting,
            count_label=_("to answer"),
            order=10,
        ),
        # Territory admin
        Entry(
            _("Service levels and matching"),
            "referrals:settings",
            policy,
            "configure",
            description=_("First-contact deadlines, reminders and matching weights per district."),
            order=40,
        ),
        # DPO
        Entry(
            _("Data-subject requests"),
            "referrals:dpo",
            policy,
            "subject_requests",
            description=_("Find a person, export their data or erase it."),
            order=10,
        ),
        # Evaluator
        Entry(
            _("Referral data for research (CSV, pseudonymised)"),
            "referrals:research_csv",
            policy,
            "research",
            order=60,
        ),
        # Citizen
        Entry(
            _("Ask for help"),
            "referrals:self_refer",
            policy,
            "self_refer",
            description=_("Tell us what you need: a link worker will call you."),
            roles=frozenset({CITIZEN}),
            order=20,
        ),
        Entry(
            _("My data and consents"),
            "referrals:my_data",
            policy,
            "own_data",
            description=_("What we hold about you, your consents, and who read it."),
            order=30,
        ),
    ),
    home=(
        Entry(
            _("Ask for help"),
            "referrals:self_refer",
            policy,
            "self_refer",
            description=_(
                "Feeling lonely, tired, or in need of company? Tell us: a link worker will call "
                "you and look with you for an activity that fits."
            ),
            cta=_("Ask for help"),
            roles=frozenset({ANONYMOUS, CITIZEN}),
            group="citizen",
            order=20,
        ),
    ),
    # Beside every activity of the directory (which may not import this module): asking for
    # help from an activity's page carries the activity, and its places left are counted from
    # the enrolments holding them, by the one function matching also uses.
    activity_help=(
        Entry(
            _("I am interested: ask for help"),
            "referrals:self_refer",
            policy,
            "self_refer",
            description=_(
                "Not sure which activity is right for you, or how to start? Tell us: a link "
                "worker will call you and look for one with you."
            ),
            cta=_("Ask for help"),
            roles=frozenset({ANONYMOUS, CITIZEN}),
            activity_param="attivita",
        ),
    ),
    places_left=places_left,
    metrics={demand.NEED_DEMAND: demand.need_demand},
)
