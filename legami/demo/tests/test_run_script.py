"""`make run` (scripts/run.sh) serves the demo as a server would: links on its own port, DEBUG
off (the product's 404 page), and what a laptop needs instead of a real server's settings.
The script runs here with a stand-in for Python that writes down what it was given."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NAMES = (
    "SITE_URL",
    "DEBUG",
    "LEGAMI_ALLOW_DEV_KEY",
    "SECURE_COOKIES",
    "EMAIL_BACKEND",
    "STATICFILES_BACKEND",
)


def _run(tmp_path, **env) -> dict[str, dict[str, str]]:
    """What each command (db_worker, runserver) found in its environment."""
    fake = tmp_path / "python"
    # Each writes its environment, then waits for the other's: the script stops both as soon
    # as one ends.
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'for n in {" ".join(NAMES)}; do echo "$n=${{!n-}}"; done > "{tmp_path}/$2.tmp"\n'
        f'mv "{tmp_path}/$2.tmp" "{tmp_path}/$2"\n'
        f'for i in $(seq 200); do [ -e "{tmp_path}/db_worker" ] && [ -e "{tmp_path}/runserver" ]'
        " && exit 0; sleep 0.05; done\n"
    )
    fake.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in (*NAMES, "PORT")}
    subprocess.run(  # noqa: S603 - the project's own script, with a stand-in for Python
        [shutil.which("bash"), "scripts/run.sh"],
        cwd=ROOT,
        env={**clean, "PY": str(fake), "STATIC_ROOT": str(tmp_path / "static"), **env},
        check=True,
        timeout=60,
    )
    return {
        command: dict(
            line.split("=", 1) for line in (tmp_path / command).read_text().split("\n") if line
        )
        for command in ("db_worker", "runserver")
    }


def test_make_run_serves_links_on_its_port_with_debug_off(tmp_path):
    for env in _run(tmp_path, PORT="8123").values():
        assert env["SITE_URL"] == "http://127.0.0.1:8123"
        assert env["DEBUG"] == "0"
        assert env["LEGAMI_ALLOW_DEV_KEY"] == "1" and env["SECURE_COOKIES"] == "0"
        assert env["EMAIL_BACKEND"].endswith("console.EmailBackend")
        assert env["STATICFILES_BACKEND"].endswith("StaticFilesStorage")
    assert (tmp_path / "static").is_dir()


def test_what_is_set_by_hand_wins(tmp_path):
    server = _run(tmp_path, PORT="9000", DEBUG="1", SITE_URL="https://demo.example")["runserver"]
    assert (server["DEBUG"], server["SITE_URL"]) == ("1", "https://demo.example")
