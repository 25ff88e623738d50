"""kill -9 drill: a real server (gunicorn, two workers) on 127.0.0.1 takes a burst of writes
through the API from a signed-in territory administrator; when some have been acknowledged
(201 with the new id) the whole server is killed with SIGKILL, mid-burst. Every acknowledged
write must then be in the database, which must pass its integrity check, and a restarted
server must serve them. Runs on the suite's engine: SQLite (WAL, synchronous FULL, as the
settings configure it) or PostgreSQL (its defaults).

No sleeps: the server listens on a socket this test opened (so a request simply waits until a
worker accepts it), and the kill waits on a condition (enough acknowledgements).
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from contextlib import closing, contextmanager

import pytest
from django.utils.crypto import get_random_string

from legami.core import backup as backups
from legami.core.tests import drills

CLIENTS = 4
WRITES_PER_CLIENT = 150
KILL_AFTER = 40  # acknowledged writes before the kill
TIMEOUT = 60  # seconds: bounds every wait of the drill, never a pause


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """A dedicated database with a signed-in territory administrator (session created
    directly, second factor enabled)."""
    folder = tmp_path_factory.mktemp("crash")
    database = drills.scratch_database(folder, "crash")
    try:
        output = drills.create_migrated(database, folder, drills.SIGNED_IN_ADMINISTRATOR)
        yield database, folder, drills.last_json_line(output)["session"]
    finally:
        database.drop()


@contextmanager
def server(database, folder):
    """gunicorn on 127.0.0.1 at a free port, on a socket opened here and handed over, so
    that it accepts connections from the first instant. Yields (port, process)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = drills.environment(
        database, folder, DEBUG="0", ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0"
    )
    log = (folder / "gunicorn.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "legami.wsgi:application",
            "--bind",
            f"fd://{listener.fileno()}",
            "--workers",
            "2",
            "--timeout",
            str(TIMEOUT),
        ],
        cwd=drills.ROOT,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group: SIGKILL reaches master and workers
    )
    listener.close()  # the server holds the only copy: once it dies, connections are refused
    try:
        yield port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
        log.close()


def request(port, method, path, *, session=None, body=None):
    csrf = get_random_string(32)
    headers = {"Host": "127.0.0.1", "Accept": "application/json"}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={csrf}"
        headers["X-CSRFToken"] = csrf
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)) as conn:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()


def wait_until_healthy(port):
    """The first request waits in the listening socket's queue until a worker takes it;
    a 503 (database not ready) is retried a bounded number of times."""
    for _ in range(20):
        status, _body = request(port, "GET", "/healthz")
        if status == 200:
            return
    raise AssertionError(f"/healthz answered {status}")


class Burst:
    """Clients writing organisations until told the server is gone; what was acknowledged."""

    def __init__(self, port, session, tag):
        self.port, self.session, self.tag = port, session, tag
        self.acknowledged = {}  # id -> name
        self.failures = []  # (name, error) of writes whose answer never came
        self.refused = []  # (name, status, body) of writes the server answered with an error
        self.condition = threading.Condition()
        self.finished = 0

    def client(self, number):
        try:
            for write in range(WRITES_PER_CLIENT):
                name = f"Esercitazione {self.tag} {number}-{write}"
                body = {"name": name, "sector": "third_sector", "comune": "053001"}
                try:
                    status, content = request(
                        self.port,
                        "POST",
                        "/api/v1/network/organisations/",
                        session=self.session,
                        body=body,
                    )
                except OSError as error:  # reset, refused, incomplete answer: not acknowledged
                    self.failures.append((name, repr(error)))
                    return
                if status != 201:
                    self.refused.append((name, status, content[:300]))
                    return
                with self.condition:
                    self.acknowledged[json.loads(content)["id"]] = name
                    self.condition.notify_all()
        finally:
            with self.condition:
                self.finished += 1
                self.condition.notify_all()

    def wait_for(self, count):
        with self.condition:
            reached = self.condition.wait_for(
                lambda: len(self.acknowledged) >= count or self.finished == CLIENTS,
                timeout=TIMEOUT,
            )
        return reached and len(self.acknowledged) >= count


def test_kill_9_during_a_burst_of_writes_loses_no_acknowledged_write(drill):
    database, folder, session = drill
    tag = get_random_string(6)
    with server(database, folder) as (port, process):
        wait_until_healthy(port)
        burst = Burst(port, session, tag)
        clients = [
            threading.Thread(target=burst.client, args=[number], daemon=True)
            for number in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        reached = burst.wait_for(KILL_AFTER)
        os.killpg(process.pid, signal.SIGKILL)
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
        for thread in clients:
            thread.join(timeout=TIMEOUT)
        assert not any(thread.is_alive() for thread in clients)
    assert not burst.refused, burst.refused[:3]
    assert reached, f"only {len(burst.acknowledged)} writes acknowledged before the kill"
    assert burst.failures, "the kill came after the burst, not during it"
    acknowledged = dict(burst.acknowledged)

    assert backups.integrity_problems(database) == []
    placeholder = "%s" if database.vendor == backups.POSTGRESQL else "?"
    with closing(database.connect()) as conn:
        rows = conn.execute(
            f"SELECT id, name FROM network_organisation WHERE name LIKE {placeholder}",  # noqa: S608
            [f"Esercitazione {tag} %"],
        ).fetchall()
    stored = dict(rows)
    lost = {pk: name for pk, name in acknowledged.items() if stored.get(pk) != name}
    assert not lost, f"{len(lost)} acknowledged writes lost: {sorted(lost.values())[:5]}"
    # A write cut by the kill (at most one per client) may or may not have committed.
    assert len(stored) - len(acknowledged) <= len(burst.failures)

    # A restarted server serves every acknowledged write.
    with server(database, folder) as (port, _process):
        wait_until_healthy(port)
        status, content = request(
            port,
            "GET",
            f"/api/v1/network/organisations/?q=Esercitazione+{tag}&page_size=1",
            session=session,
        )
    assert status == 200
    assert json.loads(content)["count"] == len(stored)
