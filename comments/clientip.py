"""The reader's IP address, behind trusted proxies only."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind a trusted proxy the nearest untrusted forwarded hop."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.TRUSTED_PROXIES
    if not remote or remote not in trusted:
        return _valid(remote)
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if hop not in trusted:
            return _valid(hop)
    return _valid(remote)


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None
