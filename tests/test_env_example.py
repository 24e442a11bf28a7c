"""`.env.example` copied to `.env` unchanged gives a working site: a blank value
means the setting's default (issue 22: four tracebacks in a row before)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def example_values() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and line[0] != "#"]
    return {name.strip(): value.strip() for name, value in pairs}


def test_env_example_unchanged_passes_the_checks():
    values = example_values()
    assert values["DATABASE_URL"] == "" and values["CACHE_URL"] == ""  # the shape
    env = {k: v for k, v in os.environ.items() if k not in values}
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        cwd=ROOT,
        env={**env, **values},
        text=True,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "no issues" in completed.stdout
