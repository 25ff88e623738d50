"""When an activity happens (recurring schedules and the sessions cancelled) and what it
costs; each change refreshes what the search reads."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit

from .. import recurrence
from ..models import Activity, CostOption, Frequency, Schedule, ScheduleException
from ..permissions import policy
from .checks import SCHEDULE_FIELDS, check_schedule
from .search import reindex


@transaction.atomic
def schedule_add(*, by, activity: Activity, **fields) -> Schedule:
    policy.authorize(by, "manage_listings", activity)
    data = {k: fields[k] for k in SCHEDULE_FIELDS if k in fields}
    data["byday"] = ",".join(
        p.strip().upper() for p in (data.get("byday") or "").split(",") if p.strip()
    )
    data.setdefault("interval", 1)
    weekly = data.get("freq", Frequency.WEEKLY) == Frequency.WEEKLY
    if weekly and not data["byday"] and not data.get("bymonthday") and data.get("valid_from"):
        # Spelled out so that searching by weekday finds it.
        data["byday"] = recurrence.DAY_CODES[data["valid_from"].weekday()]
    check_schedule(data)
    schedule = Schedule(activity=activity, extra=fields.get("extra") or {}, **data)
    schedule.full_clean()
    schedule.save()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"schedule_added": schedule.pk})
    return schedule


@transaction.atomic
def schedule_remove(*, by, schedule: Schedule) -> None:
    policy.authorize(by, "manage_listings", schedule.activity)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    activity = schedule.activity
    schedule.delete()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"schedule_removed": True})


@transaction.atomic
def schedule_exception_add(*, by, schedule: Schedule, date: date, reason: str = ""):
    policy.authorize(by, "manage_listings", schedule.activity)
    if schedule.valid_to and date > schedule.valid_to or date < schedule.valid_from:
        raise ValidationError({"date": _("This date is outside the schedule's validity.")})
    exception, _created = ScheduleException.objects.get_or_create(
        schedule=schedule, date=date, defaults={"reason": reason}
    )
    reindex(schedule.activity)
    audit(by=by, action="update", obj=schedule.activity, changes={"exception": str(date)})
    return exception


@transaction.atomic
def cost_option_add(*, by, activity: Activity, label: str, amount, **fields) -> CostOption:
    policy.authorize(by, "manage_listings", activity)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("A cost cannot be below zero.")})
    option = CostOption(
        activity=activity,
        label=label,
        amount=amount,
        valid_from=fields.get("valid_from"),
        valid_to=fields.get("valid_to"),
    )
    option.full_clean()
    option.save()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"cost_option_added": option.pk})
    return option


@transaction.atomic
def cost_option_remove(*, by, option: CostOption) -> None:
    policy.authorize(by, "manage_listings", option.activity)
    option = CostOption.objects.select_for_update().get(pk=option.pk)
    activity = option.activity
    option.delete()
    reindex(activity)
    audit(by=by, action="update", obj=activity, changes={"cost_option_removed": True})
