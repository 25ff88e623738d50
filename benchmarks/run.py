#!/usr/bin/env python
"""Server-side page timings beside a minimal Django view, in one process and one run.

Each URL is called through Django's WSGI application exactly as a WSGI server would call it
(environ in, iterable out, close), with DEBUG off and the product's middleware, sequentially:
first a warm-up, then N timed requests. The minimal view (benchmarks/urls.py) is the floor
the framework itself costs on this machine; every page is reported as a share of its
throughput. Network, TLS and the WSGI server are not measured.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python benchmarks/run.py --prepare

--prepare migrates, loads the comuni and generates province-scale data if they are missing.
--write-docs updates this database's block in docs/performance.md.
"""

import argparse
import io
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from textwrap import indent
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ["DEBUG"] = "0"
# WhiteNoise warns that collectstatic has not run; static files are not benchmarked.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from benchmarks.report import Result, table, verdict, write_docs  # noqa: E402
from legami.accounts.models import User  # noqa: E402
from legami.demo import generator  # noqa: E402
from legami.directory.models import Activity, ActivityStatus, Place, TaxonomyTerm  # noqa: E402
from legami.network.models import Organisation  # noqa: E402
from legami.referrals.models import Beneficiary, Referral, Status  # noqa: E402

DOCS = ROOT / "docs" / "performance.md"
# The search page's origin for distances: the capital, one of the comuni with coordinates.
COMUNE = "019036"


# --- the pages --------------------------------------------------------------------------------
def cases() -> list[tuple[str, str]]:
    """(label, URL) pairs; ids are looked up in the database under test."""
    terms = {
        (t.taxonomy.code, t.code): t.pk
        for t in TaxonomyTerm.objects.select_related("taxonomy").filter(
            taxonomy__code__in=["domain", "need", "target_group"]
        )
    }
    domain = terms.get(("domain", "cultura"), 0)
    need = terms.get(("need", "solitudine"), 0)
    published = Activity.objects.filter(status=ActivityStatus.PUBLISHED, place__isnull=False)
    count = published.count()
    detail = published.order_by("pk").values_list("pk", flat=True)[count // 2] if count else 0
    return [
        ("minimal view (floor)", "/bench/minimal/"),
        ("empty page layout (base.html)", "/bench/layout/"),
        ("search: no filters", "/attivita/"),
        ("search: q=lettura", "/attivita/?q=lettura"),
        ("search: domain (Cultura + sub-domains)", f"/attivita/?domain={domain}"),
        ("search: need (Solitudine)", f"/attivita/?need={need}"),
        ("search: comune + 15 km", f"/attivita/?comune={COMUNE}&radius_km=15"),
        ("search: Tuesday morning", "/attivita/?weekday=TU&time_band=morning"),
        ("search: free only", "/attivita/?free=1"),
        ("search: wheelchair access", "/attivita/?access=wheelchair"),
        ("search: language en", "/attivita/?language=en"),
        ("search: sort by distance", f"/attivita/?comune={COMUNE}&sort=distance"),
        ("search: sort by next session", "/attivita/?sort=next"),
        ("search: page 5", "/attivita/?page=5"),
        (
            "search: combined",
            f"/attivita/?q=camminata&need={need}&comune={COMUNE}&radius_km=25&free=1&sort=distance",
        ),
        ("activity detail", f"/attivita/{detail}/"),
        *referral_cases(),
        *impact_cases(),
    ]


def referral_cases() -> list[tuple[str, str, str]]:
    """(label, URL, signed-in user) for the pages of social prescribing, as the generated
    link worker with a 500-referral caseload and the generated provider (generate_data)."""
    worker = User.objects.filter(email=generator.BENCH_LINK_WORKER).first()
    provider = User.objects.filter(email=generator.BENCH_PROVIDER).first()
    if worker is None or provider is None:
        return []
    held = Referral.objects.filter(link_worker=worker)
    engaged = held.filter(status=Status.ENGAGED, enrolments__isnull=False).distinct()
    count = engaged.count()
    detail = engaged.order_by("pk").values_list("pk", flat=True)[count // 2] if count else 0
    return [
        (f"caseload: mine ({held.count()} referrals), page 1", "/invii/casi/", worker.email),
        ("caseload: all of the territory", "/invii/casi/?view=all", worker.email),
        ("caseload: overdue", "/invii/casi/?view=all&overdue=1", worker.email),
        ("referral detail (engaged)", f"/invii/{detail}/", worker.email),
        ("provider inbox", "/invii/ente/", provider.email),
    ]


def impact_cases() -> list[tuple[str, str, str]]:
    """The impact dashboard over the generated responses (generate_data), as the evaluator
    (every response) and as the territory administrator of the province."""
    from legami.demo.generator.outcomes import (
        BENCH_EVALUATOR,
        BENCH_TERRITORY_ADMIN,
        ensure_bench_readers,
        responses_exist,
    )

    if not responses_exist():
        return []
    ensure_bench_readers()
    from legami.outcomes.models import Instrument, Response

    count = Response.objects.count()
    ons4 = Instrument.objects.get(code="ons4").pk
    return [
        (f"impact: WHO-5 overall ({count:,} responses)", "/impatto/", BENCH_EVALUATOR),
        ("impact: WHO-5 by comune", "/impatto/?breakdown=comune", BENCH_EVALUATOR),
        ("impact: WHO-5 by domain", "/impatto/?breakdown=domain", BENCH_EVALUATOR),
        ("impact: WHO-5 by age band", "/impatto/?breakdown=age_band", BENCH_EVALUATOR),
        (
            "impact: 6 months by provider (territory admin)",
            "/impatto/?timepoint=follow_up_6m&breakdown=provider",
            BENCH_TERRITORY_ADMIN,
        ),
        (
            "impact: ONS4 anxiety by comune (per-question, JSON)",
            f"/impatto/?instrument={ons4}&subscale=anxiety&breakdown=comune",
            BENCH_EVALUATOR,
        ),
    ]


def session_cookie(email: str) -> str:
    """A signed-in session for `email`, made as Client.force_login makes it (the generated
    staff accounts have a second factor, so the MFA middleware lets them through)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = User.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- calling the application ----------------------------------------------------------------
def environ_for(url: str, cookie: str = "") -> dict:
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "it",
        "HTTP_USER_AGENT": "legami-bench",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def call(application, base: dict) -> tuple[int, int]:
    """One request, start to close (close is where Django ends the request and, with
    CONN_MAX_AGE=0, closes the database connection). Returns (status, bytes)."""
    status = []
    environ = dict(base)
    environ["wsgi.input"] = io.BytesIO(b"")
    response = application(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return int(status[0].split()[0]), size


def profile(application, base: dict, result: Result, runs: int = 5) -> None:
    """Queries per request and their time, from a few requests outside the timed ones."""
    timings = []
    counts = []
    slowest = None

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - start
            timings[-1] += took
            counts[-1] += 1
            nonlocal slowest
            if slowest is None or took > slowest[0]:
                slowest = (took, sql, params)

    for _ in range(runs):
        timings.append(0.0)
        counts.append(0)
        with connection.execute_wrapper(wrapper):
            call(application, base)
    result.queries = counts[-1]
    result.sql_ms = statistics.median(timings) * 1000
    result.slowest_sql = slowest


def measure(
    application, label: str, url: str, requests: int, warmup: int, cookie: str = ""
) -> Result:
    result = Result(label, url)
    base = environ_for(url, cookie)
    result.status, result.size = call(application, base)
    if result.status != 200:
        return result
    for _ in range(warmup):
        call(application, base)
    latencies, cpu = [], []
    started = time.perf_counter()
    for _ in range(requests):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        call(application, base)
        latencies.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    result.wall = time.perf_counter() - started
    result.latencies, result.cpu = latencies, cpu
    profile(application, base, result)
    return result


def explain(sql: str, params) -> str:
    """The plan of one query as the database runs it (PostgreSQL: with timings)."""
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


# --- preparing the database -------------------------------------------------------------------
def prepare(scale: str, seed: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if not generator.comuni_for(generator.SCALES[scale]).exists():
        call_command("load_comuni")
    call_command("generate_data", scale=scale, seed=seed, if_missing=True)
    analyse()


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def analyse() -> None:
    """After a bulk load, leave PostgreSQL as autovacuum soon would: statistics for the
    planner and the visibility map that index-only scans need. (SQLite is left as the product
    leaves it: no ANALYZE.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- describing the run -------------------------------------------------------------------------
def database_label() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"
    return f"SQLite {sqlite3.sqlite_version} ({Path(connection.settings_dict['NAME']).name})"


def postgres_version() -> str:
    if connection.vendor == "postgresql":
        return database_label().split(" (")[0]
    try:
        import psycopg

        url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(url, connect_timeout=1) as pg:
            return "PostgreSQL " + pg.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception:  # noqa: BLE001 - only a label
        return "PostgreSQL not reachable"


def machine() -> str:
    memory = "?"
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpus} CPUs (nproc; {model}), {memory} RAM, Python {platform.python_version()}, "
        f"Django {django.get_version()}, SQLite {sqlite3.sqlite_version}, {postgres_version()}"
    )


def _git(*args: str) -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    command = [git, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603


def revision() -> str:
    head = _git("rev-parse", "--short", "HEAD") or "?"
    return f"{head}{' + uncommitted changes' if _git('status', '--porcelain') else ''}"


def data_summary() -> str:
    published = Activity.objects.filter(status=ActivityStatus.PUBLISHED).count()
    return (
        f"{Organisation.objects.count():,} organisations, {Place.objects.count():,} places, "
        f"{Activity.objects.count():,} activities ({published:,} published), "
        f"{Beneficiary.objects.count():,} people, {Referral.objects.count():,} referrals"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=200, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per URL first")
    parser.add_argument("--prepare", action="store_true", help="migrate and generate if missing")
    parser.add_argument("--scale", default="province", choices=sorted(generator.SCALES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append", default=[], help="labels containing this")
    parser.add_argument(
        "--url", action="append", default=[], metavar="LABEL=URL", help="an extra page"
    )
    parser.add_argument("--write-docs", action="store_true", help=f"update {DOCS.name}")
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--show-sql", action="store_true", help="print each page's slowest query")
    parser.add_argument(
        "--explain", action="store_true", help="with --show-sql: and the plan of that query"
    )
    parser.add_argument("--target-p95-ms", type=float, default=80.0)
    parser.add_argument("--target-share", type=float, default=0.40)
    args = parser.parse_args(argv)

    if args.prepare:
        prepare(args.scale, args.seed)
    else:
        pending = unapplied_migrations()
        if pending:
            print(
                f"{len(pending)} migration(s) not applied ({pending[0]}...): run manage.py "
                "migrate with the same DATABASE_URL, or add --prepare.",
                file=sys.stderr,
            )
            return 2
        analyse()
    application = get_wsgi_application()
    pages = cases() + [tuple(item.split("=", 1)) for item in args.url]
    if args.only:
        pages = [
            p
            for p in pages
            if p[0].startswith(("minimal", "empty")) or any(o in p[0] for o in args.only)
        ]
    database = database_label()
    load_start = os.getloadavg()[0]
    print(f"{database}: {data_summary()}", file=sys.stderr)
    results = []
    cookies = {}
    for label, url, *who in pages:
        cookie = ""
        if who:
            cookie = cookies.setdefault(who[0], session_cookie(who[0]))
        result = measure(application, label, url, args.requests, args.warmup, cookie)
        results.append(result)
        shown = f"p95 {result.percentile(95):.1f} ms" if result.ok else f"status {result.status}"
        print(f"  {label:<42} {shown}", file=sys.stderr)
        if args.show_sql and result.slowest_sql:
            took, sql, params = result.slowest_sql
            print(f"    slowest query {took * 1000:.1f} ms: {sql} {params}", file=sys.stderr)
            if args.explain:
                print(indent(explain(sql, params), "      "), file=sys.stderr)

    load_end = os.getloadavg()[0]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    conn_age = connection.settings_dict.get("CONN_MAX_AGE", 0)
    command = "DATABASE_URL=... .venv/bin/python benchmarks/run.py " + shlex.join(
        argv if argv is not None else sys.argv[1:]
    )
    block = "\n".join(
        [
            f"Run {when} on {database}, code {revision()}.",
            f"Machine: {machine()}.",
            f"Data: {data_summary()}.",
            f"{args.requests} timed requests per page after {args.warmup} of warm-up; "
            f"CONN_MAX_AGE={conn_age}. Load average (1 min) {load_start:.1f} at the start, "
            f"{load_end:.1f} at the end (other work on the machine slows every figure). "
            "Command: `" + command.strip() + "`.",
            "",
            table(results),
            "",
            verdict(results, args.target_p95_ms, args.target_share),
        ]
    )
    print(block)
    if args.write_docs:
        key = connection.vendor + ("-persistent" if conn_age else "")
        write_docs(args.docs, key, block)
        print(f"Updated {args.docs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
