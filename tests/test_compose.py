import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent


def _compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    need(
        binary is not None,
        "docker-compose not installed: apt-get install docker-compose",
    )
    return subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **env},
        cwd="/tmp",
        timeout=60,
    )


def test_compose_file_is_valid_with_required_settings():
    result = _compose(
        "config", env={"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "example.org"}
    )

    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ("db:", "redis:", "web:", "poller:", "worker:"):
        assert service in config
    assert "postgres:16" in config and "service_healthy" in config


def test_compose_refuses_to_start_without_secret_key():
    result = _compose("config", "-q", env={"ALLOWED_HOSTS": "example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
