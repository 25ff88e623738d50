"""Every write service of impact measurement checks, itself, who may do it: called directly with
each persona, it succeeds, refuses the role (PermissionDenied, a 403) or does not find what is
outside the persona's territory or programmes (Http404); `by=None`, the system (a person
answering through their link, jobs, the demo loader), may do everything."""

import inspect
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from legami.core import roles
from legami.core.tests.service_permissions import as_every_persona, expected, outcome
from legami.network import services as network
from legami.network.models import Membership, Person, ProgrammePartner
from legami.outcomes import services
from legami.outcomes.models import Instrument, SroiOutcome
from legami.outcomes.services import builder as services_builder
from legami.outcomes.services import evidence as services_evidence
from legami.outcomes.services import indicators as services_indicators
from legami.outcomes.services import links as services_links
from legami.outcomes.services import sroi as services_sroi
from legami.outcomes.services import surveys as services_surveys
from legami.outcomes.tests.test_sroi import OUTCOME
from legami.referrals.models import Beneficiary
from legami.referrals.services import consent_give

LW, PRO, TA, EV, SU = (
    roles.LINK_WORKER,
    roles.PROVIDER,
    roles.TERRITORY_ADMIN,
    roles.EVALUATOR,
    roles.SUPERUSER,
)
MODULES = (
    services,
    services_builder,
    services_evidence,
    services_indicators,
    services_links,
    services_sroi,
    services_surveys,
)
# Public functions that take no `by`: checks and reads, or writes whose permission is a
# single-use token (the person's link, an event's feedback link) or that only the system runs.
NOT_BY_A_USER = {
    "instrument_check",
    "check_can_measure",
    "follow_up_reminders_send",
    "check_draft",
    "link_for_token",
    "link_save_draft",
    "draft_answers",
    "link_submit",
    "organisations_to_answer",
    "survey_for_token",
    "feedback_submit",
}
# Records that name the person who collected them: the system collects no interview.
NAMED = {"evidence_record"}
TODAY = timezone.localdate()
WHO5 = dict.fromkeys(range(1, 6), 3)
INDICATOR = {"area": "network", "name": "Volontari", "target_value": 10, "target_date": TODAY}


def _published(purpose):
    draft = services_builder.questionnaire_create(by=None, data={"name": "Q", "purpose": purpose})
    services_builder.item_add(
        by=None,
        instrument=draft,
        data={"kind": "likert", "text": "Soddisfazione", "scale_min": 1, "scale_max": 5},
    )
    return services_builder.questionnaire_publish(by=None, instrument=draft, scored=False)


def _person(comune):
    person = Beneficiary.objects.create(first_name="Anna", last_name="Esempio", comune=comune)
    consent_give(by=None, beneficiary=person, purpose="outcomes")
    return person


def _survey(instrument, **about):
    return services_surveys.survey_open(
        by=None,
        data={
            "instrument": instrument,
            "title": "Indagine",
            "opens_on": TODAY,
            "closes_on": TODAY + timedelta(days=30),
            **about,
        },
    )


@pytest.fixture
def measured(care):
    """Two of everything: one in the territory administrator's (and the link worker's)
    territory, of a programme the evaluator works for; one elsewhere."""
    evaluator = care["evaluator"]
    Membership.objects.create(
        person=Person.objects.create(first_name="Eva", last_name="Lutatrice", user=evaluator),
        organisation=care["association"],
        role_title="Ricercatrice",
    )
    ProgrammePartner.objects.create(programme=care["programme"], organisation=care["association"])
    elsewhere = network.programme_create(
        by=None,
        name="Laboratori",
        lead_partner=care["outside_org"],
        start_date=date(2024, 1, 1),
        comuni=[care["casalecchio"]],
    )
    draft = services_builder.questionnaire_create(by=None, data={"name": "Bozza"})
    item = services_builder.item_add(
        by=None, instrument=draft, data={"kind": "text", "text": "Come sta?"}
    )
    services_builder.item_add(by=None, instrument=draft, data={"kind": "text", "text": "E poi?"})
    indicators = {
        key: services_indicators.indicator_create(
            by=None, data={**INDICATOR, "programme": programme}
        )
        for key, programme in (("indicator", care["programme"]), ("outside_indicator", elsewhere))
    }
    analysis = services_sroi.sroi_analysis_save(
        by=care["territory_admin"],  # an analysis names who keeps it
        data={
            "investment_note": "Contributo Interreg",
            "programme": care["programme"],
            "title": "Coltivare legami",
            "investment": Decimal("20000"),
            "discount_rate": Decimal("3.5"),
        },
    )
    return {
        **care,
        **indicators,
        "who5": Instrument.objects.get(code="who5"),
        "outside_person": _person(care["casalecchio"]),
        "elsewhere": elsewhere,
        "draft": draft,
        "item": item,
        "copyable": _published("person"),
        "organisation_questionnaire": (organisation := _published("organisation")),
        "event_questionnaire": _published("event"),
        "organisation_survey": _survey(organisation),
        "analysis": analysis,
        "sroi_outcome": services_sroi.sroi_outcome_add(by=None, analysis=analysis, data=OUTCOME),
    }


def _evidence(m, programme):
    return {
        "programme": programme,
        "kind": "interview",
        "collected_on": TODAY,
        "setting": "Circolo",
        "participants": "P1",
        "text": "P1: ci vediamo il martedì.",
    }


# name: (call(measured, by), roles allowed, roles that get 404)
# Roles neither allowed nor 404 get PermissionDenied. The superuser is always allowed.
CASES = {
    "response_record": (
        lambda m, by: services.response_record(
            by=by,
            instrument=m["who5"],
            beneficiary=m["referral"].beneficiary,
            referral=m["referral"],
            timepoint="baseline",
            administered_on=TODAY,
            answers=WHO5,
        ),
        {LW},
        set(),
    ),
    "response_record for a person of another territory": (
        lambda m, by: services.response_record(
            by=by,
            instrument=m["who5"],
            beneficiary=m["outside_person"],
            timepoint="baseline",
            administered_on=TODAY,
            answers=WHO5,
        ),
        set(),
        {LW},
    ),
    "link_create": (
        lambda m, by: services_links.link_create(
            by=by,
            instrument=m["who5"],
            beneficiary=m["referral"].beneficiary,
            referral=m["referral"],
            timepoint="baseline",
        ),
        {LW},
        set(),
    ),
    "link_create for a person of another territory": (
        lambda m, by: services_links.link_create(
            by=by, instrument=m["who5"], beneficiary=m["outside_person"], timepoint="baseline"
        ),
        set(),
        {LW},
    ),
    "questionnaire_create": (
        lambda m, by: services_builder.questionnaire_create(by=by, data={"name": "Nuovo"}),
        {TA, EV},
        set(),
    ),
    "questionnaire_update": (
        lambda m, by: services_builder.questionnaire_update(
            by=by, instrument=m["draft"], data={"name": "Rinominato"}
        ),
        {TA, EV},
        set(),
    ),
    "section_add": (
        lambda m, by: services_builder.section_add(
            by=by, instrument=m["draft"], data={"title": "Parte prima"}
        ),
        {TA, EV},
        set(),
    ),
    "item_add": (
        lambda m, by: services_builder.item_add(
            by=by, instrument=m["draft"], data={"kind": "text", "text": "Altro?"}
        ),
        {TA, EV},
        set(),
    ),
    "item_remove": (
        lambda m, by: services_builder.item_remove(by=by, item=m["item"]),
        {TA, EV},
        set(),
    ),
    "item_move": (
        lambda m, by: services_builder.item_move(by=by, item=m["item"], up=False),
        {TA, EV},
        set(),
    ),
    "questionnaire_publish": (
        lambda m, by: services_builder.questionnaire_publish(
            by=by, instrument=m["draft"], scored=False
        ),
        {TA, EV},
        set(),
    ),
    "questionnaire_copy": (
        lambda m, by: services_builder.questionnaire_copy(by=by, instrument=m["copyable"]),
        {TA, EV},
        set(),
    ),
    "evidence_record": (
        lambda m, by: services_evidence.evidence_record(
            by=by, data=_evidence(m, m["programme"]), codes=[]
        ),
        {TA, EV},
        set(),
    ),
    "evidence_record for another programme": (
        lambda m, by: services_evidence.evidence_record(
            by=by, data=_evidence(m, m["elsewhere"]), codes=[]
        ),
        set(),
        {TA, EV},
    ),
    "code_create": (
        lambda m, by: services_evidence.code_create(by=by, name="Appartenenza"),
        {TA, EV},
        set(),
    ),
    "indicator_create": (
        lambda m, by: services_indicators.indicator_create(
            by=by, data={**INDICATOR, "programme": m["programme"]}
        ),
        {TA},
        set(),
    ),
    "indicator_create for another programme": (
        lambda m, by: services_indicators.indicator_create(
            by=by, data={**INDICATOR, "programme": m["elsewhere"]}
        ),
        set(),
        {TA},
    ),
    "reading_add": (
        lambda m, by: services_indicators.reading_add(
            by=by, indicator=m["indicator"], measured_on=TODAY, value=3
        ),
        {TA},
        set(),
    ),
    "reading_add for another programme": (
        lambda m, by: services_indicators.reading_add(
            by=by, indicator=m["outside_indicator"], measured_on=TODAY, value=3
        ),
        set(),
        {TA},
    ),
    "sroi_analysis_save": (
        lambda m, by: services_sroi.sroi_analysis_save(
            by=by, data={"title": "Rivista"}, analysis=m["analysis"]
        ),
        {TA},
        set(),
    ),
    "sroi_outcome_add": (
        lambda m, by: services_sroi.sroi_outcome_add(by=by, analysis=m["analysis"], data=OUTCOME),
        {TA},
        set(),
    ),
    "sroi_outcome_remove": (
        lambda m, by: services_sroi.sroi_outcome_remove(
            by=by, outcome=SroiOutcome.objects.get(pk=m["sroi_outcome"].pk)
        ),
        {TA},
        set(),
    ),
    "survey_open": (
        lambda m, by: (
            _survey(m["organisation_questionnaire"], programme=m["programme"])
            if by is None
            else services_surveys.survey_open(
                by=by,
                data={
                    "instrument": m["organisation_questionnaire"],
                    "title": "Indagine",
                    "programme": m["programme"],
                    "opens_on": TODAY,
                    "closes_on": TODAY + timedelta(days=30),
                },
            )
        ),
        {TA, EV},
        set(),
    ),
    # an evaluator may survey any programme; an administrator those they run
    "survey_open for another programme": (
        lambda m, by: services_surveys.survey_open(
            by=by,
            data={
                "instrument": m["organisation_questionnaire"],
                "title": "Indagine",
                "programme": m["elsewhere"],
                "opens_on": TODAY,
                "closes_on": TODAY + timedelta(days=30),
            },
        ),
        {EV},
        {TA},
    ),
    "survey_open on an activity of another territory": (
        lambda m, by: services_surveys.survey_open(
            by=by,
            data={
                "instrument": m["event_questionnaire"],
                "title": "Com'è andata?",
                "activity": m["outside_activity"],
                "opens_on": TODAY,
                "closes_on": TODAY + timedelta(days=30),
            },
        ),
        {EV},
        {TA},
    ),
    "survey_answer_for_organisation": (
        lambda m, by: services_surveys.survey_answer_for_organisation(
            by=by, survey=m["organisation_survey"], organisation=m["association"], answers={1: 4}
        ),
        {PRO},
        set(),
    ),
    "survey_answer_for_organisation not one's own": (
        lambda m, by: services_surveys.survey_answer_for_organisation(
            by=by, survey=m["organisation_survey"], organisation=m["outside_org"], answers={1: 4}
        ),
        set(),
        {PRO},
    ),
}


def test_every_write_service_is_in_the_table():
    public = {
        name
        for module in MODULES
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    }
    by_a_user = {
        name
        for module in MODULES
        for name in public
        if name in vars(module) and "by" in inspect.signature(vars(module)[name]).parameters
    }
    written = {name.split(" ")[0] for name in CASES}
    assert written == by_a_user
    assert public - by_a_user == NOT_BY_A_USER


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_each_persona_calling_the_service_directly(name, measured, personas):
    call, allowed, hidden = CASES[name]
    assert as_every_persona(call, personas, measured) == expected(allowed, hidden)
    if name.split(" ")[0] not in NAMED:
        assert outcome(call, measured, None) == "allowed"  # the system
