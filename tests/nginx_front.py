"""Debian's nginx in front of a server, from the repo's config (deploy/nginx/).

Used by tests/test_front_cache.py and `make bench`. The server block is the one
compose runs (deploy/nginx/sourcehat.conf.template, its placeholders filled in as the
official image's entrypoint fills them); around it a throwaway main config keeps
everything nginx writes (pid, logs, temporary files, the cache) in one directory,
listening on a free loopback port. Stopped by its PID when the block ends.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "sourcehat.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN_CONF = """\
# Written by tests/nginx_front.py: a throwaway nginx around the repo's server block.
%(user)s
worker_processes auto;
pid %(run)s/nginx.pid;
error_log %(run)s/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path %(run)s/body;
    proxy_temp_path %(run)s/proxy;
    fastcgi_temp_path %(run)s/fastcgi;
    uwsgi_temp_path %(run)s/uwsgi;
    scgi_temp_path %(run)s/scgi;
    include %(run)s/sourcehat.conf;
%(extra)s
}
"""


def installed() -> bool:
    return os.path.exists(NGINX)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill(template: str, values: dict[str, str]) -> str:
    """The template with its ${SOURCEHAT_*} placeholders replaced, as envsubst does."""
    for name, value in values.items():
        template = template.replace(f"${{{name}}}", value)
    return template


@contextmanager
def nginx_front(
    *, upstream: str, static_root: Path, run_dir: Path, extra: str = ""
) -> Iterator[str]:
    """Run the front on 127.0.0.1:<free port> before `upstream` (host:port).

    Yields the front's base URL. `extra` is added to the http block (the benchmark's
    static server). Raises RuntimeError with nginx's error log if it won't start.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = fill(
        TEMPLATE.read_text(),
        {
            "SOURCEHAT_LISTEN": f"127.0.0.1:{port}",
            "SOURCEHAT_UPSTREAM": upstream,
            "SOURCEHAT_CACHE_DIR": str(run_dir / "cache"),
            "SOURCEHAT_STATIC_ROOT": str(static_root),
        },
    )
    (run_dir / "sourcehat.conf").write_text(server)
    # As root, nginx's workers would drop to `nobody`, who can't enter a private
    # temporary directory; as anyone else the directive is ignored, so leave it out.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = run_dir / "nginx.conf"
    conf.write_text(MAIN_CONF % {"user": user, "run": run_dir, "extra": extra})
    errors = run_dir / "error.log"
    proc = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(run_dir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(proc, port, errors)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()  # by PID: TERM is nginx's fast shutdown
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_port(proc: subprocess.Popen, port: int, errors: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = errors.read_text() if errors.exists() else "(no error log)"
            raise RuntimeError(f"nginx exited with {proc.returncode}:\n{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on 127.0.0.1:{port} within 10 s")
