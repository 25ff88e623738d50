from datetime import time
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from legami.accounts.models import User
from legami.accounts.services import email_address_confirm
from legami.core.roles import PERSONAL_DATA_ROLES, SUPERUSER
from legami.demo import (
    seed,
    seed_directory,
    seed_learning,
    seed_organisations,
    seed_outcomes,
    seed_referrals,
)
from legami.directory import services as directory
from legami.directory.models import Activity, TaxonomyTerm
from legami.network import services as network
from legami.network.models import Organisation, Programme
from legami.territory import services as territory
from legami.territory.models import Comune, District, Region

from ._demo_only import refuse_outside_demo


class Command(BaseCommand):
    help = "Load the demo data built from the seed documents (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true")

    def handle(self, *args, quiet_accounts=False, **options):
        refuse_outside_demo("load_demo")
        if not Comune.objects.exists():
            call_command("load_comuni", stdout=self.stdout)
        if User.objects.filter(email=seed.DEMO_USERS[-1][0]).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not Activity.objects.filter(extra__demo=True).exists():
            with transaction.atomic():
                self._load_directory()
            self.stdout.write(self.style.SUCCESS("Demo activities loaded."))
        if seed_referrals.load():
            self.stdout.write(self.style.SUCCESS("Demo referrals loaded."))
        if seed_outcomes.load():
            self.stdout.write(self.style.SUCCESS("Demo questionnaires loaded."))
        if seed_organisations.load():
            self.stdout.write(self.style.SUCCESS("Demo surveys and indicators loaded."))
        if seed_learning.load():
            self.stdout.write(self.style.SUCCESS("Demo training loaded."))
        self._verify_addresses()
        if not quiet_accounts:
            self._print_accounts()

    def _load_directory(self):
        admin = User.objects.get(email=seed.DEMO_USERS[-1][0])
        places = {}
        for org, name, address, code, (lat, lon), wheel, hearing, sight in seed_directory.PLACES:
            places[name] = directory.place_create(
                by=admin,
                organisation=Organisation.objects.get(name=org),
                name=name,
                address=address,
                comune=Comune.objects.get(istat_code=code),
                latitude=lat,
                longitude=lon,
                wheelchair_access=wheel,
                hearing_access=hearing,
                sight_access=sight,
                extra={"demo": True},
            )
        terms = {
            (t.taxonomy.code, t.code): t for t in TaxonomyTerm.objects.select_related("taxonomy")
        }
        for number, row in enumerate(seed_directory.ACTIVITIES):
            place_name, name, description, codes, low, high, languages, capacity = row[:8]
            cost, (freq, byday, opens, closes, start, end), status, verified = row[8:]
            place = places[place_name]
            chosen = {
                terms[(taxonomy, code)]
                for code in codes
                for taxonomy in ("domain", "need", "target_group")
                if (taxonomy, code) in terms
            }
            activity = directory.activity_create(
                by=admin,
                organisation=place.organisation,
                place=place,
                name=name,
                description=description + seed_directory.DEMO_NOTE,
                terms=chosen,
                min_age=low,
                max_age=high,
                languages=languages,
                capacity=capacity,
                how_to_join="Telefonare o scrivere al referente; per chi arriva con una "
                "prescrizione sociale, il facilitatore prende contatto.",
                contact_name="Referente (demo)",
                phone=seed_directory.phone(number),
                email="attivita@demo.legami.example",
                last_verified_on=verified,
                extra={"demo": True},
            )
            directory.schedule_add(
                by=admin,
                activity=activity,
                freq=freq,
                byday=byday,
                opens_at=time.fromisoformat(opens),
                closes_at=time.fromisoformat(closes),
                valid_from=start,
                valid_to=end,
            )
            if cost:
                directory.cost_option_add(
                    by=admin, activity=activity, label=cost[0], amount=Decimal(cost[1])
                )
            if status != "draft":
                directory.activity_set_status(by=admin, activity=activity, status=status)

    def _load(self):
        admin = User.objects.create_superuser(
            seed.DEMO_USERS[-1][0],
            seed.DEMO_PASSWORD,
            first_name="Admin",
            last_name="(demo)",
            is_demo=True,
        )
        orgs = {}
        for name, sector, code, description in seed.ORGANISATIONS:
            orgs[name] = network.organisation_create(
                by=admin,
                name=name,
                sector=sector,
                comune=Comune.objects.get(istat_code=code),
                description=description,
            )
        districts = {}
        for name, kind, codes, description in seed.DISTRICTS:
            districts[name] = territory.district_create(
                by=admin,
                name=name,
                kind=kind,
                comuni=Comune.objects.filter(istat_code__in=codes),
                description=description,
            )
        programmes = {}
        for name, lead, start, end, description, comuni in seed.PROGRAMMES:
            if isinstance(comuni, str):
                comuni = Comune.objects.filter(province__code=comuni.split(":")[1])
            else:
                comuni = Comune.objects.filter(istat_code__in=comuni)
            programmes[name] = network.programme_create(
                by=admin,
                name=name,
                lead_partner=orgs[lead] if lead else None,
                start_date=start,
                end_date=end,
                description=description,
                comuni=comuni,
            )
        for programme, partners in seed.PARTNERS.items():
            for partner in partners:
                network.partner_add(
                    by=admin, programme=programmes[programme], organisation=orgs[partner]
                )
        for programme, funder, amount, description in seed.FUNDINGS:
            network.funding_add(
                by=admin,
                programme=programmes[programme],
                funder=orgs[funder],
                amount=amount,
                description=description,
            )
        for source, kind, target, start, description in seed.RELATIONSHIPS:
            network.relationship_create(
                by=admin,
                source=orgs[source],
                target=orgs[target],
                kind=kind,
                start_date=start,
                description=description,
            )
        for programme, name, kind, description, members, meetings in seed.BODIES:
            body = network.body_create(
                by=admin,
                programme=programmes[programme],
                name=name,
                kind=kind,
                description=description,
            )
            for member in members:
                network.body_member_add(by=admin, body=body, organisation=orgs[member])
            for meeting in meetings:
                recorded = network.meeting_add(
                    by=admin,
                    body=body,
                    date=meeting["date"],
                    comune=Comune.objects.get(istat_code=meeting["comune"]),
                    agenda=meeting["agenda"],
                    minutes=meeting.get("minutes", ""),
                    attendees=[orgs[name] for name in meeting.get("present", ())],
                )
                for text, owner, due in meeting.get("decisions", ()):
                    network.decision_add(
                        by=admin, meeting=recorded, text=text, owner=orgs[owner], due_date=due
                    )
        for email, role, first, last, organisation, title in seed.DEMO_USERS:
            user = (
                admin
                if role == SUPERUSER
                else User.objects.create_user(
                    email,
                    seed.DEMO_PASSWORD,
                    role=role,
                    first_name=first,
                    last_name=last,
                    is_demo=True,
                )
            )
            if organisation:
                person = network.person_create(
                    by=admin,
                    organisation=orgs[organisation],
                    role_title=title,
                    first_name=first,
                    last_name=last,
                    email=email,
                    is_demo=True,
                )
                person.user = user
                person.save(update_fields=["user"])
            if role in PERSONAL_DATA_ROLES:
                TOTP.activate(user, seed.DEMO_TOTP_SECRET)
        admin_user = User.objects.get(email="territorio@demo.legami.example")
        territory.jurisdiction_grant(
            by=admin, user=admin_user, region=Region.objects.get(code="09")
        )
        territory.jurisdiction_grant(
            by=admin, user=admin_user, district=District.objects.get(name=seed.DISTRICTS[0][0])
        )
        assert Organisation.objects.count() == len(seed.ORGANISATIONS)
        assert Programme.objects.count() == len(seed.PROGRAMMES)

    def _verify_addresses(self):
        """Sign-in needs a verified address: the demo vouches for its made-up ones (also in a
        demo database loaded before verification was mandatory)."""
        unverified = User.objects.filter(is_demo=True).exclude(emailaddress__verified=True)
        for user in unverified:
            email_address_confirm(by=None, user=user)

    def _print_accounts(self):
        self.stdout.write(f"\nDemo accounts (password: {seed.DEMO_PASSWORD}):")
        for email, role, *_ in [*seed.DEMO_USERS, *seed_referrals.DEMO_USERS]:
            self.stdout.write(f"  {role:<16} {email}")
        self.stdout.write(
            "Staff roles sign in with a second factor: the demo TOTP secret is "
            f"{seed.DEMO_TOTP_SECRET} (add it to an authenticator app), or run "
            "`make totp` for the current code.\n"
        )
