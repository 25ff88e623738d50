"""Writing the checked rows: places reused or created once, then activities, schedules, costs
and classifications with `bulk_create`, the derived fields (search words, next session, free of
charge) computed before the insert, and one audit event for the whole import."""

import re

from legami.core.audit import audit

from .. import services, text
from ..models import Activity, CostOption, Place, Schedule
from . import parsers
from .rows import Planned

BATCH_SIZE = 500
COST_LABEL = "Quota di partecipazione"  # stored content, in the directory's language
fold = parsers.fold  # text.fold, faster
_WORD = re.compile(r"\w+", re.UNICODE)  # as text.words


def stems(folded: str, cache: dict) -> str:
    """text.stems of a text already folded, with a cache that lasts the whole import (the
    stemmer's own keeps 4,096 words, fewer than a large file holds)."""
    result = []
    for word in _WORD.findall(folded):
        if len(word) > 1:
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = word if word.isdigit() else text.stem(word)
            result.append(stem)
    return " " + " ".join(dict.fromkeys(result)) + " "


class Commit:
    """Mixed into importer._Import, whose user, report, clock and caches it uses."""

    def plan_places(self, planned: list[Planned]) -> None:
        """Reuse the organisation's place with the same name in the same comune, if any, and
        create each new place once however many rows name it."""
        organisation_ids = {p.organisation.pk for p in planned if p.place_fields}
        existing = {}
        if organisation_ids:
            for pk, organisation_id, name, comune_id in (
                Place.objects.filter(organisation_id__in=organisation_ids)
                .order_by("-pk")
                .values_list("pk", "organisation_id", "name", "comune_id")
            ):
                existing[(organisation_id, parsers.fold_name(name), comune_id)] = (pk, name)
        self.places_new: dict[tuple, Place] = {}
        reused = set()
        for p in planned:
            if not p.place_fields or p.comune is None:
                continue
            key = (p.organisation.pk, parsers.fold_name(p.place_name), p.comune.pk)
            if key in existing:
                p.place_id, p.place_name = existing[key]
                reused.add(key)
            else:
                if key not in self.places_new:
                    self.places_new[key] = Place(
                        organisation=p.organisation, comune=p.comune, **p.place_fields
                    )
                p.place = self.places_new[key]
        self.report.places_new = len(self.places_new)
        self.report.places_reused = len(reused)

    def write(self, planned: list[Planned]) -> None:
        Place.objects.bulk_create(list(self.places_new.values()), batch_size=BATCH_SIZE)
        activities, schedules, costs, links = [], [], [], []
        Link = Activity.terms.through
        stem_cache = {}
        for p in planned:
            activity = p.activity
            if p.place is not None:
                activity.place = p.place
            elif p.place_id is not None:
                activity.place_id = p.place_id
            term_names = []
            for term in p.terms:
                term_names += [term.name, term.name_en, term.name_fr]
            document = services.search_document(
                activity,
                organisation_name=p.organisation.name,
                place_name=p.place_name if p.comune else "",
                comune_name=p.comune.name if p.comune else "",
                term_names=term_names,
            )
            activity.search_text = fold(document)
            activity.search_stems = stems(activity.search_text, stem_cache)
            if p.schedule is not None:
                p.schedule.activity = activity
                schedules.append(p.schedule)
                activity.next_session_at = self.next_session(p.schedule)
            if p.cost:
                costs.append(CostOption(activity=activity, label=COST_LABEL, amount=p.cost))
            activities.append(activity)
        Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
        for p in planned:
            # Positional arguments (id, activity, term): Model.__init__'s fast path.
            links += [Link(None, p.activity.pk, t.pk) for t in p.terms]
        Schedule.objects.bulk_create(schedules, batch_size=BATCH_SIZE)
        CostOption.objects.bulk_create(costs, batch_size=BATCH_SIZE)
        Link.objects.bulk_create(links, batch_size=BATCH_SIZE * 2)
        count = len(activities)
        audit(
            by=self.by,
            action="create",
            object_type="directory.activity",
            purpose=f"import {self.report.filename}: {count} activities",
            changes={
                "activities": count,
                "published": self.report.published,
                "places_created": self.report.places_new,
                "places_reused": self.report.places_reused,
                "schedules": len(schedules),
                "cost_options": len(costs),
            },
        )

    def next_session(self, schedule: Schedule):
        key = (
            schedule.freq,
            schedule.byday,
            schedule.opens_at,
            schedule.closes_at,
            schedule.valid_from,
            schedule.valid_to,
        )
        if key not in self._next:
            self._next[key] = services.next_session([schedule], {}, self.now)
        return self._next[key]
