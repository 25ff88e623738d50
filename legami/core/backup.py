"""Backups that can be trusted: an online copy, its restoration, and the proof that a copy
holds exactly the rows of the original.

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database page by page
  from a read transaction, so writers go on and the copy is one consistent snapshot.
- PostgreSQL: `pg_dump -Fc` reads an exported snapshot; `pg_restore` loads it into a database.

The proof is a *fingerprint*: for every table, its number of rows and a SHA-256 over its rows in
primary-key order. The backup takes the fingerprint of the very snapshot it copies and writes it
beside the copy (`<backup>.json`); `--verify` restores or opens the copy and compares.
Backups hold personal data: files are created readable by their owner only. Encrypted fields
stay encrypted (the key lives in the environment, never in the database).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BATCH = 2000


class BackupError(Exception):
    """A backup, restore or verification that did not succeed (message for the operator)."""


@dataclass(frozen=True)
class Database:
    """Where a database lives: a file for SQLite, connection parameters for PostgreSQL."""

    vendor: str
    name: str  # SQLite: file path; PostgreSQL: database name
    params: dict = field(default_factory=dict)  # PostgreSQL: host, port, user, password

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "Database":
        engine = settings_dict["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls(SQLITE, str(settings_dict["NAME"]))
        if engine.endswith(("postgresql", "postgis")):
            params = {
                key: str(settings_dict[setting])
                for key, setting in (
                    ("host", "HOST"),
                    ("port", "PORT"),
                    ("user", "USER"),
                    ("password", "PASSWORD"),
                )
                if settings_dict.get(setting)
            }
            return cls(POSTGRESQL, settings_dict["NAME"], params)
        raise BackupError(f"backups are not supported for {engine}")

    def named(self, name: str) -> "Database":
        """The database called `name` on the same server (PostgreSQL) or at `name` (SQLite)."""
        return replace(self, name=str(name))

    def describe(self) -> str:
        if self.vendor == SQLITE:
            return self.name
        where = self.params.get("host", "local socket")
        return f"{self.name} on {where}"

    # --- connections and client programs (PostgreSQL) ---------------------------------------

    def connect(self):
        if self.vendor == SQLITE:
            if not Path(self.name).exists():
                raise BackupError(f"no database file at {self.name}")
            return sqlite3.connect(self.name, isolation_level=None)
        import psycopg

        return psycopg.connect(dbname=self.name, **self.params)

    def client_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, variable in (
            ("host", "PGHOST"),
            ("port", "PGPORT"),
            ("user", "PGUSER"),
            ("password", "PGPASSWORD"),
        ):
            if key in self.params:
                env[variable] = self.params[key]
        return env

    def exists(self) -> bool:
        if self.vendor == SQLITE:
            path = Path(self.name)
            return path.exists() and path.stat().st_size > 0
        with closing(self.named("postgres").connect()) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return row.fetchone() is not None

    def create(self) -> None:
        if self.vendor == SQLITE:
            private_file(Path(self.name))
            return
        from psycopg import sql

        with closing(self.named("postgres").connect()) as conn:
            conn.autocommit = True
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.vendor == SQLITE:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        from psycopg import sql

        with closing(self.named("postgres").connect()) as conn:
            conn.autocommit = True
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )


def private_file(path: Path) -> Path:
    """Create `path` (and its folder) readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)
    return path


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def default_backup_path(var_dir: Path, vendor: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3" if vendor == SQLITE else ".dump"
    return Path(var_dir) / "backups" / f"legami-{stamp}{suffix}"


# --- fingerprints ---------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn, vendor: str) -> list[str]:
    if vendor == SQLITE:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        rows = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
    return [row[0] for row in rows.fetchall()]


def _order_by(conn, vendor: str, table: str) -> str:
    """The primary-key columns of `table` (every column when it has no primary key)."""
    if vendor == SQLITE:
        info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
        keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        columns = keys or [row[1] for row in info]
    else:
        keys = conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            [_quote(table)],
        ).fetchall()
        columns = [row[0] for row in keys]
        if not columns:
            count = conn.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema()",
                [table],
            ).fetchone()[0]
            return ", ".join(str(position) for position in range(1, count + 1))
    return ", ".join(_quote(column) for column in columns)


def _canonical(value) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        return "b:" + bytes(value).hex()
    return repr(value)


def _table_fingerprint(conn, vendor: str, table: str) -> dict:
    query = f"SELECT * FROM {_quote(table)} ORDER BY {_order_by(conn, vendor, table)}"  # noqa: S608
    digest = hashlib.sha256()
    rows = 0
    if vendor == SQLITE:
        cursor = conn.execute(query)
    else:
        cursor = conn.cursor(name="legami_fingerprint")
        cursor.itersize = BATCH
        cursor.execute(query)
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            digest.update(("\x1f".join(_canonical(value) for value in row) + "\n").encode())
        rows += len(batch)
    cursor.close()
    return {"rows": rows, "sha256": digest.hexdigest()}


@contextmanager
def _snapshot(database: Database):
    """One connection reading one consistent snapshot of the whole database."""
    conn = database.connect()
    try:
        if database.vendor == SQLITE:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # starts the snapshot
        else:
            import psycopg

            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
        yield conn
    finally:
        try:
            conn.rollback() if database.vendor == POSTGRESQL else conn.execute("ROLLBACK")
        finally:
            conn.close()


def fingerprints(database: Database, conn=None) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} for every table of `database`, in one snapshot."""
    if conn is not None:
        return {
            t: _table_fingerprint(conn, database.vendor, t) for t in _tables(conn, database.vendor)
        }
    with _snapshot(database) as snapshot:
        return fingerprints(database, snapshot)


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """What differs between two fingerprints, table by table (empty when identical)."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table}: missing from the copy")
        elif table not in expected:
            problems.append(f"{table}: not in the original")
        elif expected[table]["rows"] != actual[table]["rows"]:
            problems.append(
                f"{table}: {actual[table]['rows']} rows, expected {expected[table]['rows']}"
            )
        elif expected[table]["sha256"] != actual[table]["sha256"]:
            problems.append(f"{table}: same number of rows, different content")
    return problems


def integrity_problems(database: Database) -> list[str]:
    """SQLite: `PRAGMA integrity_check` and `foreign_key_check`. PostgreSQL: every table is
    read in full by the fingerprint; here, constraints left unvalidated by a restore."""
    with closing(database.connect()) as conn:
        if database.vendor == SQLITE:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            problems = [] if result == ["ok"] else result
            orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"{row[0]} row {row[1]}: broken reference to {row[2]}" for row in orphans]
            return problems
        rows = conn.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE NOT convalidated"
        ).fetchall()
        return [f"{table}: constraint {name} not validated" for table, name in rows]


# --- backup, restore, verify ----------------------------------------------------------------


def _run(command: list[str], database: Database) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments are ours
        [program, *command[1:]],
        env=database.client_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(database: Database, output: Path) -> dict:
    """Copy `database` to `output` from one snapshot and write its manifest beside it."""
    output = Path(output)
    private_file(output)
    with _snapshot(database) as snapshot:
        if database.vendor == SQLITE:
            with closing(sqlite3.connect(output)) as target:
                snapshot.backup(target)
                # One self-contained file: readable without its -wal and -shm companions.
                target.execute("PRAGMA journal_mode=DELETE")
        else:
            exported = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                ["pg_dump", "-Fc", f"--snapshot={exported}", "-f", str(output), database.name],
                database,
            )
        tables = fingerprints(database, snapshot)
    manifest = {
        "format": 1,
        "vendor": database.vendor,
        "source": database.describe(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": output.name,
        "bytes": output.stat().st_size,
        "tables": tables,
    }
    path = private_file(manifest_path(output))
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(backup_file: Path) -> dict:
    path = manifest_path(Path(backup_file))
    if not path.exists():
        raise BackupError(f"no manifest {path.name} beside the backup: cannot verify it")
    return json.loads(path.read_text())


def restore(backup_file: Path, target: Database, *, replace: bool = False) -> None:
    """Load `backup_file` into `target`. An existing target is replaced only when asked."""
    backup_file = Path(backup_file)
    if not backup_file.exists():
        raise BackupError(f"no backup at {backup_file}")
    existed = target.exists()
    if existed and not replace:
        raise BackupError(
            f"{target.describe()} already exists: choose another target or pass --replace"
        )
    if target.vendor == SQLITE:
        if not existed:
            target.create()
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        with closing(source), closing(sqlite3.connect(target.name)) as destination:
            source.backup(destination)
        return
    if not existed:
        target.create()
    command = ["pg_restore", "--exit-on-error", "--no-owner", "-d", target.name]
    if existed:
        command[1:1] = ["--clean", "--if-exists", "--single-transaction"]
    _run([*command, str(backup_file)], target)


def verify(database: Database, manifest: dict) -> list[str]:
    """Integrity of `database` and its rows against a backup's manifest."""
    if manifest.get("vendor") != database.vendor:
        return [f"the backup is of a {manifest.get('vendor')} database, not {database.vendor}"]
    return integrity_problems(database) + differences(manifest["tables"], fingerprints(database))
