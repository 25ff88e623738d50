"""Prepare a load test on the database at DATABASE_URL (run by loadtest/run.sh).

Creates (once) two load-test accounts with a second factor enabled, a provider member of the
organisation with the most listings and a territory administrator of that organisation's
province; takes the generated link worker (500 referrals) and evaluator (every response) of
`generate_data`; and signs them in up front: one session per simulated user, written with the
ids the journeys use (published activities, terms, comuni, the link worker's referrals) to a
JSON file readable by its owner only. `--cleanup FILE` deletes those sessions afterwards.

    DATABASE_URL=... python loadtest/prepare.py --sessions 50 --output var/load/fixtures.json
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legami.settings")

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db.models import Count  # noqa: E402

from legami.accounts.models import User  # noqa: E402
from legami.demo.generator.outcomes import BENCH_EVALUATOR, ensure_bench_readers  # noqa: E402
from legami.demo.generator.referrals import BENCH_LINK_WORKER  # noqa: E402
from legami.directory.models import Activity, ActivityStatus, TaxonomyTerm  # noqa: E402
from legami.network.models import Membership, Organisation, Person  # noqa: E402
from legami.referrals.models import Referral  # noqa: E402
from legami.territory.models import Jurisdiction  # noqa: E402

SESSION_LISTS = (
    "provider_sessions",
    "admin_sessions",
    "link_worker_sessions",
    "evaluator_sessions",
)
PROVIDER = "carico.fornitore@load.legami.example"
ADMIN = "carico.territorio@load.legami.example"


def account(email: str, role: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"role": role})
    if created:  # signed in by sessions made here: no password at all
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def sign_in(user: User, count: int) -> list[str]:
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def prepare(sessions: int) -> dict:
    published = Activity.objects.filter(status=ActivityStatus.PUBLISHED)
    if not published.exists():
        raise SystemExit("No published activity: generate data first (make bench).")
    busiest = (
        Organisation.objects.annotate(listings=Count("activities"))
        .filter(comune__isnull=False)
        .order_by("-listings", "pk")
        .first()
    )
    provider = account(PROVIDER, "provider")
    person, _ = Person.objects.get_or_create(
        user=provider, defaults={"first_name": "Carico", "last_name": "Fornitore"}
    )
    Membership.objects.get_or_create(
        person=person, organisation=busiest, defaults={"role_title": "Prova di carico"}
    )
    admin = account(ADMIN, "territory_admin")
    Jurisdiction.objects.get_or_create(user=admin, province=busiest.comune.province)
    if not User.objects.filter(email=BENCH_LINK_WORKER).exists():
        raise SystemExit("No generated referrals: generate data first (make bench).")
    ensure_bench_readers()
    link_worker = account(BENCH_LINK_WORKER, "link_worker")
    evaluator = account(BENCH_EVALUATOR, "evaluator")
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    comuni = (
        published.filter(place__comune__isnull=False)
        .values_list("place__comune__istat_code", flat=True)
        .distinct()
    )
    return {
        "activities": list(published.order_by("?").values_list("pk", flat=True)[:1000]),
        "domains": [t.pk for t in terms if t.taxonomy.code == "domain"],
        "needs": [t.pk for t in terms if t.taxonomy.code == "need"],
        "targets": [t.pk for t in terms if t.taxonomy.code == "target_group"],
        "comuni": sorted(set(comuni))[:200],
        # A distance needs the comune's position (most generated comuni have none in Legami).
        "located": sorted(set(comuni.filter(place__comune__latitude__isnull=False)))[:200],
        "provider_sessions": sign_in(provider, sessions),
        "admin_sessions": sign_in(admin, sessions),
        "referrals": list(
            Referral.objects.filter(link_worker=link_worker)
            .order_by("?")
            .values_list("pk", flat=True)[:200]
        ),
        "link_worker_sessions": sign_in(link_worker, sessions),
        "evaluator_sessions": sign_in(evaluator, sessions),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "load" / "fixtures.json")
    parser.add_argument("--cleanup", type=Path, help="delete the sessions listed in this file")
    args = parser.parse_args()
    if args.cleanup:
        data = json.loads(args.cleanup.read_text())
        keys = [key for name in SESSION_LISTS for key in data.get(name, [])]
        deleted, _ = Session.objects.filter(session_key__in=keys).delete()
        args.cleanup.unlink()
        print(f"Deleted {deleted} load-test sessions.")
        return 0
    data = prepare(args.sessions)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)
    print(
        f"Prepared {len(data['activities'])} activities, {len(data['comuni'])} comuni and "
        f"{args.sessions} signed-in sessions per staff role in {args.output}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
