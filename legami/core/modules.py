"""The module manifest: what each module shows of itself to the rest of Legami.

Each module declares, in its own ``module.py``, one ``MODULE = Manifest(...)``: its entries in
the header menu, its work in each person's *Area personale*, its cards on the public home page
(each entry gated by one of its policy's actions), its part of a person's data (export and
erasure) and its live metrics. Core reads the manifests of the installed apps in the order of
INSTALLED_APPS, which is the module list, and never names another module's pages: a new module
appears in the menu, the home page and the data-subject rights by declaring itself.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import import_module, util

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

from .permissions import Policy
from .roles import SUPERUSER, effective_role


@dataclass(frozen=True)
class Entry:
    """A link to one page, shown to whoever may do `action` of `policy`.

    `roles` narrows who sees it among those allowed: finding an activity is open to anyone,
    but it is a citizen's work, not a DPO's. `count` gives the number shown beside the link
    (overdue first contacts, answers waiting) and is only computed where a page shows it.
    """

    label: str | Promise
    url: str
    policy: Policy
    action: str
    description: str | Promise = ""
    cta: str | Promise = ""  # the link's words on a home card
    query: str = ""
    roles: frozenset[str] | None = None
    count: Callable[[object], int] | None = None
    count_label: str | Promise = ""  # what the count counts, e.g. "overdue"
    order: int = 50
    group: str = "institutional"  # home cards: "citizen" ones come first
    # Beside an activity (activity_help): the query parameter that carries the activity's id,
    # so the page it leads to knows which activity the person came from.
    activity_param: str = ""

    def shown_to(self, role: str) -> bool:
        if self.roles is not None and role not in self.roles:
            return False
        return self.policy[self.action].allows_role(role)

    @property
    def href(self) -> str:
        return reverse(self.url) + (f"?{self.query}" if self.query else "")


@dataclass(frozen=True)
class Reminder:
    """One thing due on a case: what ("WHO-5, follow-up at 3 months"), by when, and where it
    is done."""

    text: str
    due_on: date
    overdue: bool = False
    url: str = ""


@dataclass(frozen=True)
class Manifest:
    label: str  # the app label
    title: str | Promise
    menu: tuple[Entry, ...] = ()
    work: tuple[Entry, ...] = ()
    home: tuple[Entry, ...] = ()
    # The module's part of a person's data (core.subject_data.SubjectData), if it holds any.
    subject_data: object | None = None
    # Live metrics other modules may read (e.g. indicators of impact on organisations),
    # by metric code.
    metrics: Mapping[str, Callable] = field(default_factory=dict)
    # What falls due on a referred person's case (questionnaire follow-ups...), shown on the
    # case page and the caseload: referral ids -> {referral id: [Reminder, ...]}. The case
    # lives in referrals, which may not import the modules below it that keep these dates.
    case_reminders: Callable[[list[int]], Mapping[int, list[Reminder]]] | None = None
    # Links offered beside the directory's activities (the search page, each activity's page,
    # there with the activity's id in `activity_param`), and the places an activity has left.
    # The directory shows them but sits below the modules that hold them (referrals counts
    # the enrolments that hold places), so it may not import them: they come through here.
    activity_help: tuple[Entry, ...] = ()
    places_left: Callable[[object], int | None] | None = None


@cache
def manifests() -> tuple[Manifest, ...]:
    """Every installed module's manifest, in the module list's order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        if util.find_spec(name) is None:
            continue
        found.append(import_module(name).MODULE)
    return tuple(found)


@dataclass(frozen=True)
class Shown:
    """An entry as one user sees it: its link, and its count when asked for."""

    entry: Entry
    user: object
    active: bool = False  # the page being shown is this entry's or below it

    @property
    def label(self):
        return self.entry.label

    @property
    def description(self):
        return self.entry.description

    @property
    def cta(self):
        return self.entry.cta

    @property
    def href(self) -> str:
        return self.entry.href

    @property
    def count_label(self):
        return self.entry.count_label

    @property
    def count(self) -> int | None:
        return self.entry.count(self.user) if self.entry.count else None


def _shown(user, kind: str) -> list[Shown]:
    role = effective_role(user)
    entries = [
        entry
        for manifest in manifests()
        for entry in getattr(manifest, kind)
        if entry.shown_to(role)
    ]
    return [Shown(entry, user) for entry in sorted(entries, key=lambda e: e.order)]


def menu_for(user, path: str = "") -> list[Shown]:
    """The header's entries. A superuser may open every page, but the header shows them the
    public ones: their work is the back office, reached from their area, and a header with
    every role's entries would serve nobody."""
    entries = _shown(user, "menu")
    if effective_role(user) == SUPERUSER:
        entries = [e for e in entries if e.entry.policy[e.entry.action].public]
    return [
        Shown(e.entry, user, active=bool(path) and path.startswith(reverse(e.entry.url)))
        for e in entries
    ]


def home_cards(user) -> dict[str, list[Shown]]:
    cards = _shown(user, "home")
    return {
        "citizen": [c for c in cards if c.entry.group == "citizen"],
        "institutional": [c for c in cards if c.entry.group != "citizen"],
    }


def work_for(user) -> list[tuple[str, list[Shown]]]:
    """The user's work, one section per module that has some for their role."""
    role = effective_role(user)
    sections = []
    for manifest in manifests():
        entries = sorted((e for e in manifest.work if e.shown_to(role)), key=lambda e: e.order)
        if entries:
            sections.append((manifest.title, [Shown(e, user) for e in entries]))
    return sections


def subject_data_entries() -> list:
    return [m.subject_data for m in manifests() if m.subject_data is not None]


def metric(code: str) -> Callable | None:
    for manifest in manifests():
        if code in manifest.metrics:
            return manifest.metrics[code]
    return None


def case_reminders(referral_ids) -> dict[int, list[Reminder]]:
    """What every module has falling due on these referrals, earliest first."""
    ids = list(referral_ids)
    found: dict[int, list[Reminder]] = {}
    if not ids:
        return found
    for manifest in manifests():
        if manifest.case_reminders is None:
            continue
        for referral_id, reminders in manifest.case_reminders(ids).items():
            found.setdefault(referral_id, []).extend(reminders)
    for reminders in found.values():
        reminders.sort(key=lambda r: r.due_on)
    return found


def activity_help_for(user, activity=None) -> list[dict]:
    """The links the user is offered beside activities: `label`, `description`, `cta` and
    `href`, which carries `activity`'s id when one is given."""
    role = effective_role(user)
    links = []
    for manifest in manifests():
        for entry in sorted(manifest.activity_help, key=lambda e: e.order):
            if not entry.shown_to(role):
                continue
            href = entry.href
            if activity is not None and entry.activity_param:
                href += ("&" if "?" in href else "?") + f"{entry.activity_param}={activity.pk}"
            links.append(
                {
                    "label": entry.label,
                    "description": entry.description,
                    "cta": entry.cta,
                    "href": href,
                }
            )
    return links


def places_left(activity) -> int | None:
    """The places `activity` has left, from the module that counts them; None when none
    does or the activity sets no limit."""
    for manifest in manifests():
        if manifest.places_left is not None:
            return manifest.places_left(activity)
    return None
