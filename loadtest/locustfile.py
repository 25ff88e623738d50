"""Journeys of the load test (`make load`, see loadtest/run.sh).

- Citizens, anonymous: search the directory with a few filters, open activity pages, look at
  the map's points, and query the REST API.
- Providers, signed in (second factor on, session made up front by loadtest/prepare.py):
  "My listings" and one of their listings' edit page.
- Territory administrators, signed in: the coverage table (all comuni of their province ×
  domains) and the moderation list.
- Link workers, signed in (the generated one, 500 referrals): the caseload, a referral's page
  and its well-being questionnaires.
- Evaluators, signed in: the impact dashboard over ~200,000 responses, with a breakdown.

Every answer must be 200 without redirects (a redirect to sign-in is an error). Bounded by
LOAD_MAX_REQUESTS besides locust's --run-time.
"""

import json
import os
import random
import re
from itertools import count
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, task

FIXTURES = json.loads(Path(os.environ.get("LOAD_FIXTURES", "var/load/fixtures.json")).read_text())
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
WORDS = ["lettura", "camminata", "musica", "teatro", "orto", "yoga", "ballo", "anziani", "coro"]
_sent = count(1)
_sessions = {"provider": count(), "admin": count(), "link_worker": count(), "evaluator": count()}


_environment = None


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    global _environment
    _environment = environment


@events.request.add_listener
def _stop_after_max_requests(**_kwargs):
    """The run stops at LOAD_MAX_REQUESTS requests even before --run-time is over."""
    if MAX_REQUESTS and next(_sent) == MAX_REQUESTS and _environment and _environment.runner:
        gevent.spawn(_environment.runner.quit)


def where() -> dict:
    """A comune; half the time a distance from it, when the comune's position is known."""
    if FIXTURES["located"] and random.random() < 0.5:
        return {"comune": random.choice(FIXTURES["located"]), "radius_km": random.choice([5, 15])}
    return {"comune": random.choice(FIXTURES["comuni"])}


def search_filters() -> dict:
    """One to three filters, as a citizen combines them on the search page."""
    choices = [
        lambda: {"q": random.choice(WORDS)},
        lambda: {"domain": random.choice(FIXTURES["domains"])},
        lambda: {"need": random.choice(FIXTURES["needs"])},
        lambda: {"target": random.choice(FIXTURES["targets"])},
        where,
        lambda: {"weekday": random.choice(["MO", "TU", "WE", "TH", "FR"]), "time_band": "morning"},
        lambda: {"free": "1"},
        lambda: {"access": "wheelchair"},
        lambda: {"sort": random.choice(["next", "name"])},
    ]
    filters = {}
    for choice in random.sample(choices, random.randint(1, 3)):
        filters.update(choice())
    return filters


class Visitor(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.0)
    cookie = ""

    def get(self, path, name, **params):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        with self.client.get(
            path,
            params=params or None,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
            return response


class Citizen(Visitor):
    weight = 8

    @task(5)
    def search(self):
        self.get("/attivita/", "/attivita/ [search]", **search_filters())

    @task(4)
    def activity_page(self):
        pk = random.choice(FIXTURES["activities"])
        self.get(f"/attivita/{pk}/", "/attivita/[id]/")

    @task(2)
    def map_points(self):
        self.get("/attivita/mappa.json", "/attivita/mappa.json", **search_filters())

    @task(1)
    def training(self):
        self.get("/formazione/", "/formazione/")

    @task(2)
    def api(self):
        self.get(
            "/api/v1/directory/activities/",
            "/api/v1/directory/activities/",
            **search_filters(),
        )


class Provider(Visitor):
    weight = 2

    def on_start(self):
        sessions = FIXTURES["provider_sessions"]
        key = sessions[next(_sessions["provider"]) % len(sessions)]
        self.cookie = f"sessionid={key}"
        self.listings = []

    @task(3)
    def my_listings(self):
        response = self.get("/attivita/gestione/", "/attivita/gestione/")
        if response.status_code == 200 and not self.listings:
            self.listings = sorted(
                set(re.findall(r'href="/attivita/(\d+)/modifica/"', response.text))
            )

    @task(1)
    def edit_page(self):
        if self.listings:
            pk = random.choice(self.listings)
            self.get(f"/attivita/{pk}/modifica/", "/attivita/[id]/modifica/")


class TerritoryAdmin(Visitor):
    weight = 1

    def on_start(self):
        sessions = FIXTURES["admin_sessions"]
        key = sessions[next(_sessions["admin"]) % len(sessions)]
        self.cookie = f"sessionid={key}"

    @task(2)
    def coverage(self):
        self.get("/attivita/copertura/", "/attivita/copertura/")

    @task(1)
    def coverage_gaps(self):
        self.get("/attivita/copertura/", "/attivita/copertura/?gaps=1", gaps="1")

    @task(1)
    def moderation(self):
        self.get("/attivita/gestione/", "/attivita/gestione/")


class LinkWorker(Visitor):
    weight = 2

    def on_start(self):
        sessions = FIXTURES["link_worker_sessions"]
        self.cookie = f"sessionid={sessions[next(_sessions['link_worker']) % len(sessions)]}"

    @task(3)
    def caseload(self):
        self.get("/invii/casi/", "/invii/casi/")

    @task(3)
    def referral(self):
        pk = random.choice(FIXTURES["referrals"])
        self.get(f"/invii/{pk}/", "/invii/[id]/")

    @task(1)
    def questionnaires(self):
        pk = random.choice(FIXTURES["referrals"])
        self.get(f"/impatto/invii/{pk}/", "/impatto/invii/[id]/")


class Evaluator(Visitor):
    weight = 1

    def on_start(self):
        sessions = FIXTURES["evaluator_sessions"]
        self.cookie = f"sessionid={sessions[next(_sessions['evaluator']) % len(sessions)]}"

    @task
    def impact(self):
        breakdown = random.choice(["", "comune", "domain", "gender", "age_band"])
        self.get("/impatto/", "/impatto/ [dashboard]", breakdown=breakdown)
