import os
import re
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
    for service in ("nginx:", "db:", "redis:", "web:", "poller:", "worker:"):
        assert service in config
    assert "postgres:16" in config and "service_healthy" in config


def test_compose_puts_nginx_in_front_with_the_repos_config():
    result = _compose(
        "config", env={"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "example.org"}
    )

    assert result.returncode == 0, result.stderr
    config = result.stdout
    template = ROOT / "deploy" / "nginx" / "sourcehat.conf.template"
    assert f"{template}:/etc/nginx/templates/" in config
    # Every placeholder of the config gets a value from the nginx service.
    for name in set(re.findall(r"\$\{(SOURCEHAT_\w+)\}", template.read_text())):
        assert re.search(rf"^\s+{name}: \S", config, re.M), name
    # nginx serves what web collects, and only nginx is published.
    assert config.count("static:/") == 2
    assert "published: 8000" not in config


def test_compose_refuses_to_start_without_secret_key():
    result = _compose("config", "-q", env={"ALLOWED_HOSTS": "example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
