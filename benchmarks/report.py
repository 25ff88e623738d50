"""The benchmark's output: the Markdown table, the verdict against the targets, and the
blocks it keeps in docs/performance.md (only between its markers)."""

import math
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

SECTION = "## Directory benchmarks"


@dataclass
class Result:
    label: str
    url: str
    status: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds
    cpu: list[float] = field(default_factory=list)  # seconds of this process's CPU
    wall: float = 0.0
    queries: int | None = None
    sql_ms: float | None = None
    size: int = 0
    slowest_sql: tuple[float, str, tuple] | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.latencies)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def table(results: list[Result]) -> str:
    floor = next((r for r in results if r.label.startswith("minimal") and r.ok), None)
    lines = [
        "| page | URL | status | requests | queries | SQL ms | KB "
        "| p50 ms | p95 ms | p99 ms | CPU ms | req/s | vs minimal |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        url = r.url.replace("|", "%7C")
        if not r.ok:
            lines.append(
                f"| {r.label} | `{url}` | **{r.status}** | 0 | | | | | | | | | not measured |"
            )
            continue
        ratio = f"{100 * r.throughput / floor.throughput:.0f}%" if floor else "?"
        lines.append(
            f"| {r.label} | `{url}` | {r.status} | {len(r.latencies)} | {r.queries} "
            f"| {r.sql_ms:.1f} | {r.size / 1024:.0f} | {r.percentile(50):.1f} "
            f"| {r.percentile(95):.1f} | {r.percentile(99):.1f} "
            f"| {statistics.median(r.cpu) * 1000:.1f} | {r.throughput:.0f} | {ratio} |"
        )
    return "\n".join(lines)


def verdict(results: list[Result], p95_ms: float, share: float) -> str:
    floor = next((r for r in results if r.label.startswith("minimal") and r.ok), None)
    searches = [r for r in results if r.label.startswith("search")]
    if floor is None or not searches:
        return "Targets not checked: no minimal view or no search page among the results."
    missing = [r.label for r in searches if not r.ok]
    slow = [r.label for r in searches if r.ok and r.percentile(95) > p95_ms]
    weak = [r.label for r in searches if r.ok and r.throughput < share * floor.throughput]
    if not (missing or slow or weak):
        return (
            f"Targets met: every search has p95 ≤ {p95_ms:.0f} ms and at least "
            f"{share:.0%} of the minimal view's throughput."
        )
    parts = []
    if missing:
        parts.append("not answering: " + ", ".join(missing))
    if slow:
        parts.append(f"p95 above {p95_ms:.0f} ms: " + ", ".join(slow))
    if weak:
        parts.append(f"below {share:.0%} of the minimal view's throughput: " + ", ".join(weak))
    return "Targets missed — " + "; ".join(parts) + "."


# --- docs/performance.md --------------------------------------------------------------------------
SKELETON = f"""
{SECTION}

Server-side latency of the directory pages at province scale (Cremona: 113 comuni,
3,000 organisations, 5,000 places, 15,000 activities from `generate_data --scale province
--seed 1`), measured in-process through Django's WSGI application with DEBUG off, anonymous,
sequentially in one process, beside a minimal view that returns "ok" through the same
middleware (the framework's floor on the same machine, in the same run). Targets (issue):
search p95 ≤ 80 ms and ≥ 40% of the minimal view's throughput, on SQLite and PostgreSQL.

Commands: `make bench` (both databases), or one database:

```
export DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3   # or
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/legami_bench   # (createdb it first)
.venv/bin/python benchmarks/run.py --prepare --write-docs
```

Columns: queries and SQL ms are from a few extra requests per page (median), outside the timed
ones; KB is the size of the HTML; p50/p95/p99 are wall-clock latencies; CPU ms is the median
CPU time of the benchmark process per request (Django, and on SQLite the database too; on
PostgreSQL the server's work is not in it); req/s is sequential throughput (one process, one
thread); "vs minimal" is that throughput as a share of the minimal view's.

### SQLite

<!-- bench:sqlite:start -->
(not run yet)
<!-- bench:sqlite:end -->

### PostgreSQL

<!-- bench:postgresql:start -->
(not run yet)
<!-- bench:postgresql:end -->
"""


TITLES = {
    "sqlite": "SQLite",
    "postgresql": "PostgreSQL",
    "postgresql-persistent": "PostgreSQL, persistent connections (BENCH_CONN_MAX_AGE=600)",
}


def write_docs(path: Path, key: str, block: str) -> None:
    """Replace this database's block between its markers; add the section or the block if
    missing. Everything outside the markers is left as it is."""
    content = path.read_text() if path.exists() else "# Performance\n"
    if SECTION not in content:
        content = content.rstrip("\n") + "\n" + SKELETON
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    if start not in content:
        last = content.rfind(":end -->", content.index(SECTION))
        cut = content.index("\n", last) + 1 if last != -1 else len(content)
        title = TITLES.get(key, key)
        content = content[:cut] + f"\n### {title}\n\n{start}\n{end}\n" + content[cut:]
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    content = pattern.sub(lambda _m: f"{start}\n{block}\n{end}", content)
    path.write_text(content)
