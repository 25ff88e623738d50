"""HSDS services into activities, with their schedules, cost options, terms and places: the
half of the importer that works per activity (see importer.py for the rules of the whole)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import recurrence, services
from ..models import Activity, ActivityStatus, CostOption, Frequency, Place, Schedule, TaxonomyTerm
from . import mapping as m

ACTIVITY_KEYS = {
    "id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "assured_date",
    "last_modified",
    "phones",
    "contacts",
    "languages",
    "organization_id",
    "schedules",
    "cost_options",
    "attributes",
}
SCHEDULE_KEYS = {
    "id",
    "service_id",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
}
COST_KEYS = {"id", "service_id", "option", "amount", "currency", "valid_from", "valid_to"}


class ActivityImport:
    """Mixed into the importer, whose records, caches and field rules (_save, _checked,
    _first_item, _rest, warn) it uses."""

    def _activity(self, ident, record) -> None:
        data, source = record.data, record.source
        organisation = self.organisation_for(m.as_uuid(data["organization_id"]))
        activity = Activity.objects.filter(hsds_id=ident).first()
        before = m.snapshot(activity)
        terms_before = set(activity.terms.values_list("pk", flat=True)) if activity else set()
        if activity is None:
            activity = Activity(
                hsds_id=ident, organisation=organisation, last_verified_on=timezone.localdate()
            )
        elif activity.organisation_id != organisation.pk:
            self.warn(
                source, _("the activity belongs to another organisation in Legami; it stays there.")
            )
        extra, notes = dict(activity.extra), m.private(activity.extra)
        self._activity_fields(activity, extra, data, source)
        place_sal = self._service_places(activity, ident, data, extra, source)
        schedules = self._plan_schedules(activity, data, place_sal, extra, source)
        costs = self._plan_costs(activity, data, extra, notes, source)
        terms = self._plan_terms(activity, ident, data, extra, notes, source)
        extra = self._rest(extra, data, ACTIVITY_KEYS)
        extra.pop(m.PRIVATE, None)
        activity.extra = {**extra, m.PRIVATE: notes} if notes else extra
        changed = self._save(activity, "activities", source, before, exclude=["terms"])
        if schedules is not None:
            changed |= self._sync(activity, Schedule, "schedules", schedules, source)
        if costs is not None:
            changed |= self._sync(activity, CostOption, "cost_options", costs, source)
        if terms is not None and {t.pk for t in terms} != terms_before:
            activity.terms.set(terms)
            if not changed and before is not None:
                self.result.unchanged["activities"] -= 1
                self.result.updated["activities"] += 1
            changed = True
        if changed:
            services.reindex(activity)

    def _activity_fields(self, activity, extra, data, source) -> None:
        activity.name = m.as_text(data["name"])
        for key, attr in (
            ("alternate_name", "alternate_name"),
            ("application_process", "how_to_join"),
            ("fees_description", "cost_description"),
        ):
            if key in data:
                setattr(activity, attr, m.as_text(data[key], strip=False))
        if "description" in data or activity.pk is None:
            activity.description = m.as_text(data.get("description"), strip=False)
            if not activity.description.strip():
                activity.description = activity.name
                self.warn(source, _("no description: the name is used as description."))
        self._checked(activity, extra, data, "url", "url", URLValidator(), 200, source)
        self._checked(activity, extra, data, "email", "email", EmailValidator(), 254, source)
        if "status" in data or activity.pk is None:
            status = m.STATUS_TO_LEGAMI.get(m.as_text(data.get("status")).lower())
            if status is None:
                self.warn(
                    source,
                    _(
                        "field “status”: “%(value)s” is not an HSDS status; "
                        "the activity is saved as a draft."
                    ),
                    value=data.get("status"),
                )
            activity.status = status or ActivityStatus.DRAFT
        self._ages(activity, extra, data, source)
        if "assured_date" in data:
            verified = m.as_date(data["assured_date"])
            if verified:
                activity.last_verified_on = verified
                extra.pop("assured_date", None)
            else:
                extra["assured_date"] = data["assured_date"]
        ident = str(activity.hsds_id)
        self._first_item(
            activity, extra, data, "phones", "number", "phone", 30, m.stable_id("phone", ident)
        )
        self._first_item(
            activity,
            extra,
            data,
            "contacts",
            "name",
            "contact_name",
            120,
            m.stable_id("contact", ident),
        )
        if "languages" in data:
            codes = m.language_codes(data["languages"])
            activity.languages = services.normalise_languages(codes)
            if not data["languages"] or data["languages"] == m.languages_out(None, codes, ident):
                extra.pop("languages", None)
            else:
                extra["languages"] = data["languages"]

    def _ages(self, activity, extra, data, source) -> None:
        for key, attr in (("minimum_age", "min_age"), ("maximum_age", "max_age")):
            if key not in data:
                continue
            age = m.as_int(data[key])
            if age is not None and 0 <= age <= 120:
                setattr(activity, attr, age)
                extra.pop(key, None)
            else:
                setattr(activity, attr, None)
                extra[key] = data[key]
                self.warn(
                    source,
                    _(
                        "field “%(field)s”: “%(value)s” is not an age from "
                        "0 to 120; kept as HSDS data only."
                    ),
                    field=key,
                    value=data[key],
                )
        low, high = activity.min_age, activity.max_age
        if low is not None and high is not None and low > high:
            extra["minimum_age"], extra["maximum_age"] = activity.min_age, activity.max_age
            activity.min_age = activity.max_age = None
            self.warn(source, _("the minimum age is above the maximum; kept as HSDS data."))

    def _service_places(self, activity, ident, data, extra, source) -> dict | None:
        """The activity's place is the first location of its service_at_locations that is a
        place of its organisation; all of them are kept for the export. Returns the
        service_at_location of the place, whose schedules may be the activity's."""
        sals = self.records["service_at_location"]
        order = [i for i in data.get("_sal_ids") or [] if i in sals]
        order += [
            i
            for i, sal in sals.items()
            if m.as_uuid(sal.data.get("service_id")) == ident and i not in order
        ]
        if "_sal_ids" not in data and not order:
            return None  # the document says nothing about places: keep them
        found = [self._sal(sals[i].data, ident) for i in order]
        if "_sal_ids" in data:
            links = found
        else:  # single service_at_location documents add to what the activity already has
            links = [dict(s) for s in extra.get("service_at_locations") or []]
            if not links and activity.place_id:
                links = [m.synth_sal(ident, str(activity.place.hsds_id))]
            for link in found:
                position = next((i for i, s in enumerate(links) if s.get("id") == link["id"]), None)
                if position is None:
                    links.append(link)
                else:
                    links[position] = link
        activity.place, place_link = None, None
        for link in links:
            place = self._link_place(activity, link, source)
            if place is not None:
                activity.place, place_link = place, link
                break
        synth = [m.synth_sal(ident, str(activity.place.hsds_id))] if activity.place else []
        if links == synth:
            extra.pop("service_at_locations", None)
        else:
            extra["service_at_locations"] = links
        return place_link or {}

    @staticmethod
    def _sal(data, service_id) -> dict:
        link = {k: v for k, v in data.items() if not k.startswith("_")}
        link["service_id"] = service_id
        if m.as_uuid(link.get("location_id")):
            link["location_id"] = m.as_uuid(link["location_id"])
        return link

    def _link_place(self, activity, link, source) -> Place | None:
        location_id = m.as_uuid(link.get("location_id"))
        if location_id is None:
            return None
        place = self.places.get(location_id) or Place.objects.filter(hsds_id=location_id).first()
        if place is None:
            self.warn(source, _("location %(id)s is not in Legami."), id=location_id)
        elif place.organisation_id != activity.organisation_id:
            self.warn(
                source,
                _(
                    "location %(id)s belongs to another organisation: "
                    "not used as the activity's place."
                ),
                id=location_id,
            )
            place = None
        return place

    def _plan_schedules(self, activity, data, place_link, extra, source) -> list | None:
        """Schedules Legami can compute become Schedule rows; the others are kept as HSDS data
        and reported. The service's own schedules come first, else those at its place."""
        from_link = not data.get("schedules") and bool((place_link or {}).get("schedules"))
        if from_link:
            items = place_link["schedules"]
        elif "schedules" in data or place_link is not None:
            items = data.get("schedules") or []
        else:
            return None
        planned, unmodelled, seen = [], [], set()
        for item in items if isinstance(items, list) else []:
            ident = m.as_uuid(item.get("id")) if isinstance(item, dict) else None
            fields, problem = self._schedule_fields(item) if ident else (None, _("no id"))
            if problem is None and ident in seen:
                problem = _("the id appears twice")
            if problem is None and self._taken(Schedule, ident, activity):
                problem = _("the id belongs to another activity's schedule")
            if problem is None:
                try:
                    services.check_schedule(fields)
                except ValidationError as error:
                    problem = " ".join(error.messages)
            if problem is None:
                seen.add(ident)
                planned.append((ident, fields))
            else:
                unmodelled.append(item)
                self.warn(
                    source,
                    _(
                        "schedule %(id)s is kept as HSDS data only, Legami "
                        "cannot compute its sessions: %(reason)s"
                    ),
                    id=ident or "?",
                    reason=problem,
                )
        if not from_link:
            if unmodelled:
                extra["schedules"] = unmodelled
            else:
                extra.pop("schedules", None)
        return planned

    @staticmethod
    def _taken(model, ident, activity) -> bool:
        others = model.objects.filter(hsds_id=ident)
        return others.exclude(activity_id=activity.pk).exists() if activity.pk else others.exists()

    @staticmethod
    def _schedule_fields(item) -> tuple[dict | None, str | None]:
        unsupported = [k for k in ("count", "byweekno", "byyearday") if not m.is_empty(item.get(k))]
        if unsupported:
            return None, _("%(fields)s not supported") % {"fields": ", ".join(unsupported)}
        byday = ",".join(
            p.strip().upper() for p in m.as_text(item.get("byday")).split(",") if p.strip()
        )
        bymonthday = ",".join(
            p.strip() for p in m.as_text(item.get("bymonthday")).split(",") if p.strip()
        )
        freq = m.as_text(item.get("freq")).upper() or Frequency.WEEKLY
        opens_at, opens_offset = m.as_time(item.get("opens_at"))
        closes_at, closes_offset = m.as_time(item.get("closes_at"))
        interval = m.as_int(item.get("interval", 1))
        valid_from = m.as_date(item.get("valid_from") or item.get("dtstart") or "")
        valid_to = m.as_date(item.get("valid_to") or item.get("until") or "")
        if freq not in Frequency.values:
            return None, _("frequency %(freq)s is neither weekly nor monthly") % {"freq": freq}
        if opens_at is None or closes_at is None:
            return None, _("opening and closing times are needed")
        if opens_offset or closes_offset:
            return None, _("times with a UTC offset are not supported")
        if interval is None or interval < 1:
            return None, _("the interval is not a whole number from 1")
        if (item.get("valid_from") or item.get("dtstart")) and valid_from is None:
            return None, _("the start date is not a date")
        if freq == Frequency.WEEKLY and not byday and not bymonthday:
            # Spelled out, as the services do, so that searching by weekday finds it.
            byday = recurrence.DAY_CODES[(valid_from or timezone.localdate()).weekday()]
        description = m.as_text(item.get("description"))
        fields = {
            "freq": freq,
            "interval": interval,
            "byday": byday,
            "bymonthday": bymonthday,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "valid_from": valid_from or timezone.localdate(),
            "valid_to": valid_to,
            "description": description if len(description) <= 300 else "",
            "extra": {
                k: v
                for k, v in item.items()
                if (k not in SCHEDULE_KEYS or (k == "description" and len(description) > 300))
                and not k.startswith("_")
            },
        }
        return fields, None

    def _plan_costs(self, activity, data, extra, notes, source) -> list | None:
        """Cost options with an amount become CostOption rows (their other HSDS fields are kept
        in the activity's notes, CostOption has no `extra`); the others stay HSDS data."""
        if "cost_options" not in data:
            return None
        planned, unmodelled, partials = [], [], {}
        for item in data["cost_options"] or []:
            ident = m.as_uuid(item.get("id")) if isinstance(item, dict) else None
            amount = m.as_number(item.get("amount")) if ident else None
            label = m.as_text(item.get("option") or item.get("amount_description") or amount)
            currency = (m.as_text(item.get("currency")) or "EUR").upper()
            dates = [
                m.as_date(item[k]) if item.get(k) else None for k in ("valid_from", "valid_to")
            ]
            usable = (
                amount is not None
                and 0 <= amount < 10**6
                and len(label) <= 200
                and len(currency) == 3
                and all(
                    d or not item.get(k)
                    for d, k in zip(dates, ("valid_from", "valid_to"), strict=True)
                )
                and ident not in partials
                and not self._taken(CostOption, ident, activity)
            )
            if not usable:
                unmodelled.append(item)
                self.warn(
                    source,
                    _(
                        "cost option %(id)s has no usable amount, currency "
                        "or dates; kept as HSDS data only."
                    ),
                    id=ident or "?",
                )
                continue
            fields = {
                "label": label,
                "amount": Decimal(str(amount)).quantize(Decimal("0.01")),
                "currency": currency,
                "valid_from": dates[0],
                "valid_to": dates[1],
            }
            planned.append((ident, fields))
            partials[ident] = {k: v for k, v in item.items() if k not in COST_KEYS}
        partials = {k: v for k, v in partials.items() if v}
        self._keep(extra, "cost_options", unmodelled)
        self._keep(notes, "cost_options", partials)
        return planned

    def _plan_terms(self, activity, ident, data, extra, notes, source) -> list | None:
        if "attributes" not in data:
            return None
        terms, unmodelled, partials = [], [], {}
        for attribute in data["attributes"] or []:
            term_id = m.as_uuid(attribute.get("taxonomy_term_id"))
            term = self.terms.get(term_id) if term_id else None
            if term is None and term_id:
                term = (
                    TaxonomyTerm.objects.select_related("taxonomy").filter(hsds_id=term_id).first()
                )
            if term is None:
                unmodelled.append(attribute)
                self.warn(
                    source,
                    _("attribute %(id)s names no known taxonomy term; kept as HSDS data only."),
                    id=attribute.get("id", "?"),
                )
                continue
            terms.append(term)
            partial = {k: v for k, v in attribute.items() if k != "taxonomy_term_id"}
            if partial != m.synth_attribute(ident, term):
                partials[str(term.hsds_id)] = partial
        self._keep(extra, "attributes", unmodelled)
        self._keep(notes, "attributes", partials)
        return terms

    @staticmethod
    def _keep(target: dict, key: str, value) -> None:
        if value:
            target[key] = value
        else:
            target.pop(key, None)

    def _sync(self, activity, model, kind, planned, source) -> bool:
        """Make the activity's schedules or cost options exactly `planned`."""
        existing = {str(o.hsds_id): o for o in model.objects.filter(activity=activity)}
        changed = False
        for ident, fields in planned:
            obj = existing.pop(ident, None) or model(hsds_id=ident, activity=activity)
            before = m.snapshot(obj)
            for key, value in fields.items():
                setattr(obj, key, value)
            changed |= self._save(obj, kind, source, before)
        for obj in existing.values():
            obj.delete()
            self.result.deleted[kind] += 1
            changed = True
        return changed
