"""Backup and restore drill, on the engine the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL points there): a dedicated database with comuni, directory, people and access-log
rows is backed up by `manage.py backup --verify` while it is online, restored into a new
database by `manage.py restore --verify`, and the copy must pass the integrity check with
the same row count and checksum in every table.
"""

import json
import stat
from contextlib import closing

import pytest

from legami.core import backup as backups
from legami.core.tests import drills


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A dedicated database with real rows, built once for this module."""
    folder = tmp_path_factory.mktemp("backup")
    database = drills.scratch_database(folder, "backup_source")
    try:
        drills.create_migrated(database, folder, drills.DIRECTORY_AND_PEOPLE)
        yield database
    finally:
        database.drop()


@pytest.fixture(scope="module")
def backup_file(source, tmp_path_factory):
    """A backup of the source, made once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("copy")
    path = folder / "copia"
    drills.manage(source, folder, "backup", "--output", str(path))
    return path


@pytest.fixture
def restored(source, tmp_path):
    target = drills.scratch_database(tmp_path, "restored")
    yield target
    target.drop()


def test_backup_then_restore_gives_identical_tables(source, restored, tmp_path):
    backup_file = tmp_path / "backups" / "copia"
    result = drills.manage(source, tmp_path, "backup", "--output", str(backup_file), "--verify")
    assert "Verified: integrity, rows and checksums match." in result.stdout
    manifest = json.loads(backups.manifest_path(backup_file).read_text())
    assert manifest["vendor"] == source.vendor
    # Backups hold personal data: readable by their owner only.
    for path in (backup_file, backups.manifest_path(backup_file)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    result = drills.manage(
        source, tmp_path, "restore", str(backup_file), "--to", restored.name, "--verify"
    )
    assert "Verified: integrity, rows and checksums match." in result.stdout

    original = backups.fingerprints(source)
    copy = backups.fingerprints(restored)
    assert backups.integrity_problems(restored) == []
    assert backups.differences(original, copy) == []
    assert copy == manifest["tables"]
    assert copy["territory_comune"]["rows"] == 7896
    assert copy["directory_activity"]["rows"] == 60
    assert copy["network_person"]["rows"] == 9  # 5 in the network, 4 staff of referrals
    assert copy["core_auditevent"]["rows"] >= 11
    # The restored access log is still append-only, below the ORM.
    with closing(restored.connect()) as conn, pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE core_auditevent SET purpose = 'rewritten'")


def test_the_checksum_notices_a_changed_row_and_a_missing_row(
    source, backup_file, restored, tmp_path
):
    backups.restore(backup_file, restored)
    manifest = backups.read_manifest(backup_file)
    assert backups.verify(restored, manifest) == []
    with closing(restored.connect()) as conn:
        conn.execute(
            "UPDATE network_person SET phone = '+39 000' "
            "WHERE id = (SELECT min(id) FROM network_person)"
        )
        conn.execute(
            "DELETE FROM directory_schedule WHERE id = (SELECT max(id) FROM directory_schedule)"
        )
        if restored.vendor == backups.POSTGRESQL:
            conn.commit()
    problems = backups.verify(restored, manifest)
    assert "network_person: same number of rows, different content" in problems
    assert any(p.startswith("directory_schedule: ") and "rows, expected" in p for p in problems)
    restore = ["restore", str(backup_file), "--to", restored.name, "--verify"]
    result = drills.manage(source, tmp_path, *restore, check=False)
    assert result.returncode != 0 and "already exists" in result.stderr
    result = drills.manage(source, tmp_path, *restore, "--replace")
    assert "Verified: integrity, rows and checksums match." in result.stdout


def test_backups_go_under_var_backups_by_default(source, tmp_path):
    result = drills.manage(source, tmp_path, "backup")
    [backup_file] = [p for p in (tmp_path / "backups").iterdir() if not p.name.endswith(".json")]
    assert backup_file.name.startswith("legami-")
    assert str(backup_file) in result.stdout
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    assert backups.read_manifest(backup_file)["tables"]["territory_comune"]["rows"] == 7896


def test_restoring_without_a_manifest_cannot_be_verified(source, backup_file, restored, tmp_path):
    alone = tmp_path / "senza-manifesto"
    alone.write_bytes(backup_file.read_bytes())
    restore = ["restore", str(alone), "--to", restored.name, "--verify"]
    result = drills.manage(source, tmp_path, *restore, check=False)
    assert result.returncode != 0 and "no manifest" in result.stderr
    assert not restored.exists()  # refused before touching anything
