"""`make run PORT=...`: the links a local run prints and mails lead back to it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_follows_the_port_when_unset():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(PORT="8123", SITE_URL="https://blog.example.org/") == (
        "https://blog.example.org"
    )


def test_make_run_hands_its_port_to_django():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    commands = result.stdout.splitlines()
    assert any(
        c.startswith("PORT=8123 ") and c.endswith("runserver 127.0.0.1:8123")
        for c in commands
    ), result.stdout
    assert any(
        c.startswith("PORT=8123 ") and "ensure_dev_editor" in c for c in commands
    )
