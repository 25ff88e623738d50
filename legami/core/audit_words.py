"""The access log in the reader's words.

A row of the log is written once, in the code's English ("referral detail", "back office")
and by type and id ("referrals.referral", "12"), because it must outlive renames, languages
and the person it is about. The DPO and the citizen read it here, in their own language: the
kind of object by its name ("Invio n. 12"), the role by its title, what was done as a noun,
and the purpose from the vocabulary below. A purpose typed by a person (a DPO's reason) is
shown as they typed it.
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditAction
from .roles import LABELS

# What was done, as a noun, so a sentence needs no grammatical gender for the object.
ACTION_NOUNS = {
    AuditAction.VIEW: gettext_lazy("Read"),
    AuditAction.LIST: gettext_lazy("Shown in a list"),
    AuditAction.EXPORT: gettext_lazy("Exported"),
    AuditAction.CREATE: gettext_lazy("Created"),
    AuditAction.UPDATE: gettext_lazy("Changed"),
    AuditAction.DELETE: gettext_lazy("Deleted"),
    AuditAction.ERASE: gettext_lazy("Erased"),
    AuditAction.LOGIN: gettext_lazy("Sign-in"),
}

# Every purpose the code writes, in words a reader understands.
PURPOSES = {
    "API": gettext_lazy("through the API"),
    "API outcomes": gettext_lazy("well-being results, through the API"),
    "HSDS export": gettext_lazy("export of the directory (HSDS)"),
    "HSDS import": gettext_lazy("import into the directory (HSDS)"),
    "ISTAT list of comuni loaded": gettext_lazy("ISTAT list of comuni loaded"),
    "PDF": gettext_lazy("PDF report"),
    "SROI": gettext_lazy("social return on investment (SROI)"),
    "SROI outcome added": gettext_lazy("SROI outcome added"),
    "SROI outcome removed": gettext_lazy("SROI outcome removed"),
    "XLSX": gettext_lazy("spreadsheet report"),
    "access log": gettext_lazy("access log"),
    "attendance": gettext_lazy("attendance register"),
    "back office": gettext_lazy("back office"),
    "care": gettext_lazy("care"),
    "case detail": gettext_lazy("case page"),
    "second factor removed": gettext_lazy("second factor removed (lost device)"),
    "case note": gettext_lazy("case note"),
    "walk-ins counted": gettext_lazy("people without a referral counted at a session"),
    "personal goal": gettext_lazy("personal goal"),
    "personal goal rated again": gettext_lazy("personal goal rated again"),
    "personal goal set aside": gettext_lazy("personal goal set aside"),
    "personal goals (API)": gettext_lazy("personal goals, through the API"),
    "referral: new request added": gettext_lazy("new request added to an open referral"),
    "caseload": gettext_lazy("caseload"),
    "caseload assignment": gettext_lazy("assignment of the caseload"),
    "citizen account linked by staff": gettext_lazy("citizen account linked by staff"),
    "citizen account linked: one-time code to the e-mail on the record": gettext_lazy(
        "citizen account linked with a one-time code sent to the e-mail on the record"
    ),
    "citizen proved the record by one-time code; their other record awaits merging": (
        gettext_lazy(
            "the person proved the record with a one-time code; their other record awaits merging"
        )
    ),
    "closing summary": gettext_lazy("closing summary"),
    "codebook": gettext_lazy("codebook"),
    "contact": gettext_lazy("contact"),
    "data-subject access request": gettext_lazy("the person's request to see their data"),
    "data-subject request": gettext_lazy("the person's data-protection request"),
    "data-subject request: search": gettext_lazy("search for a data-protection request"),
    "duplicate detected on referral": gettext_lazy("possible duplicate found on a referral"),
    "e-mail address confirmed": gettext_lazy("e-mail address confirmed"),
    "enrolment": gettext_lazy("enrolment in an activity"),
    "enrolment withdrawn": gettext_lazy("enrolment withdrawn"),
    "erasure request": gettext_lazy("erasure request"),
    "event feedback": gettext_lazy("event feedback"),
    "failed sign-in": gettext_lazy("failed sign-in"),
    "matching": gettext_lazy("choice of activities"),
    "matching (API)": gettext_lazy("choice of activities, through the API"),
    "network contact": gettext_lazy("contact in the network"),
    "network contacts": gettext_lazy("contacts in the network"),
    "one-time code sent to the e-mail on the record (account link request)": gettext_lazy(
        "one-time code sent to the e-mail on the record (request to link an account)"
    ),
    "organisation indicators": gettext_lazy("organisation indicators"),
    "organisation survey": gettext_lazy("organisation survey"),
    "outcome measurement": gettext_lazy("well-being questionnaire"),
    "outcome scores": gettext_lazy("well-being scores"),
    "outcome self-completion link": gettext_lazy("link to fill in a questionnaire"),
    "outcomes": gettext_lazy("well-being results"),
    "own data (citizen)": gettext_lazy("the person looked at their own data"),
    "own registrations (citizen)": gettext_lazy("the person looked at their own registrations"),
    "person": gettext_lazy("person"),
    "possible duplicate dismissed: not the same person": gettext_lazy(
        "possible duplicate dismissed: not the same person"
    ),
    "possible duplicate: comparison before merging": gettext_lazy(
        "possible duplicate: comparison before merging"
    ),
    "possible duplicate: comparison before merging (API)": gettext_lazy(
        "possible duplicate: comparison before merging, through the API"
    ),
    "provider answer": gettext_lazy("answer of the activity's organisation"),
    "provider inbox": gettext_lazy("referrals received by the organisation"),
    "provider: referral answer": gettext_lazy("answer of the activity's organisation"),
    "pseudonymised research extract": gettext_lazy("pseudonymised extract for research"),
    "qualitative evidence": gettext_lazy("interviews and observations"),
    "questionnaire builder": gettext_lazy("questionnaire builder"),
    "questionnaire entry": gettext_lazy("questionnaire answers"),
    "questionnaire published": gettext_lazy("questionnaire published"),
    "questionnaires due": gettext_lazy("questionnaires due"),
    "records merged after checking identity with the person": gettext_lazy(
        "records merged after checking identity with the person"
    ),
    "referral": gettext_lazy("referral"),
    "referral detail": gettext_lazy("referral page"),
    "referral lifecycle": gettext_lazy("progress of the referral"),
    "referral programme": gettext_lazy("programme of the referral"),
    "referral settings": gettext_lazy("referral settings"),
    "referrals made": gettext_lazy("referrals made"),
    "research": gettext_lazy("research"),
    "retention": gettext_lazy("end of the retention period"),
    "second factor failed": gettext_lazy("wrong second-factor code"),
    "second factor failed (confirming identity)": gettext_lazy(
        "wrong second-factor code (confirming identity)"
    ),
    "self-referral": gettext_lazy("request for help by the person"),
    "sign-in": gettext_lazy("sign-in"),
    "survey": gettext_lazy("survey"),
    "training": gettext_lazy("training"),
    "training attendance": gettext_lazy("training attendance"),
    "training registration": gettext_lazy("training registration"),
    "training registration cancelled": gettext_lazy("training registration cancelled"),
    "training registrations": gettext_lazy("training registrations"),
    "training session cancelled": gettext_lazy("training session cancelled"),
}

# Purposes written with a value after a fixed beginning ("consent given: contact").
PREFIXES = (
    ("consent given: ", gettext_lazy("consent given: %(rest)s")),
    ("consent withdrawn: ", gettext_lazy("consent withdrawn: %(rest)s")),
    ("erasure ", gettext_lazy("erasure %(rest)s")),
    ("retention: closed more than ", gettext_lazy("end of retention: closed more than %(rest)s")),
    ("merged into record ", gettext_lazy("merged into record %(rest)s")),
    ("members of organisation ", gettext_lazy("members of organisation %(rest)s")),
    ("import ", gettext_lazy("import %(rest)s")),
)


def role_label(role: str) -> str:
    label = LABELS.get(role)
    return str(label) if label is not None else role


def purpose_label(purpose: str) -> str:
    if not purpose:
        return ""
    if purpose in PURPOSES:
        return str(PURPOSES[purpose])
    for start, words in PREFIXES:
        if purpose.startswith(start):
            rest = purpose[len(start) :]
            return str(words) % {"rest": str(PURPOSES.get(rest, rest))}
    return purpose  # typed by a person: shown as typed


def object_kind(object_type: str) -> str:
    """The name of a kind of object in the reader's language ("Invio" for referrals.referral)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


def object_label(object_type: str, object_id: str) -> str:
    kind = object_kind(object_type)
    if not object_id:
        return kind
    return _("%(kind)s no. %(id)s") % {"kind": kind, "id": object_id}


def actor_label(event) -> str:
    label = event.actor_label
    if label.startswith("citizen account #"):
        return _("citizen account no. %(id)s") % {"id": label.removeprefix("citizen account #")}
    return label


def action_label(action: str) -> str:
    noun = ACTION_NOUNS.get(action)
    return str(noun) if noun is not None else action


def kinds_logged() -> list[tuple[str, str]]:
    """(object_type, name) of every kind of record the modules keep, by name: the choices of
    the log's filter. No query: the kinds are the installed models."""
    kinds = [
        (model._meta.label_lower, object_kind(model._meta.label_lower))
        for model in apps.get_models()
        if model.__module__.startswith("legami.")
    ]
    return sorted(kinds, key=lambda kind: kind[1].casefold())


def words(event) -> dict:
    """Every column of a row in words, for the page and the export alike."""
    return {
        "at": event.at,
        "who": actor_label(event),
        "role": role_label(event.actor_role),
        "action": action_label(event.action),
        "object": object_label(event.object_type, event.object_id),
        "person": event.person_id,
        "purpose": purpose_label(event.purpose),
    }
