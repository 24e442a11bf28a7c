"""The notice's Reply-To: a signed token naming one EditorNotice and its expiry.

An editor answers a notice by replying to ``<local>+n-<token>@<domain>``
(comments/addressing.py builds and reads the address). The token is
``<notice id>-<expiry>-<mac>``: the id of the EditorNotice row (which lists the
notice's comments, numbered), the time it expires (Unix seconds), both in
base 36, and an HMAC of the two under SECRET_KEY with its own salt, cut to 100
bits. It fits an address's local part (RFC 5321 §4.5.3.1.1: 64 octets) and
survives a mail server that folds the address to lower case (base 36 and
base 32 only), which Django's signed values would not.

The token only says which notice is answered and until when: the answer acts
only for a proven editor (moderation/answers.py).
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

from comments.addressing import notice_answer_address
from moderation.models import EditorNotice

SALT = "moderation.notice-answer.v1"
# As long as a notice's links last for a signed-in editor: a week of holidays.
ANSWER_MAX_AGE = timedelta(days=7)
_MAC_CHARS = 20  # base 32: 100 bits
_TOKEN = re.compile(r"^([0-9a-z]{1,13})-([0-9a-z]{1,13})-([a-z2-7]{20})$")


class TokenRefused(Exception):
    """The token is not one of ours (or was changed); ``reason`` says so."""

    reason = "notice_answer_bad_token"


class TokenExpired(TokenRefused):
    reason = "notice_answer_expired"


@dataclass(frozen=True)
class NoticeClaim:
    notice: EditorNotice
    expires_at: float


def reply_to_for(notice: EditorNotice, *, now: float | None = None) -> str:
    """The Reply-To address of ``notice``: answers to it reach the pipeline."""
    expires = int((now or time.time()) + ANSWER_MAX_AGE.total_seconds())
    body = f"{int_to_base36(notice.pk)}-{int_to_base36(expires)}"
    return notice_answer_address(f"{body}-{_mac(body, settings.SECRET_KEY)}")


def read_token(token: str) -> NoticeClaim:
    """The notice a token names; raises TokenRefused or TokenExpired."""
    match = _TOKEN.match(token.strip().lower())
    if match is None:
        raise TokenRefused
    notice_id, expires, mac = match.groups()
    body = f"{notice_id}-{expires}"
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(mac, _mac(body, key)) for key in keys):
        raise TokenRefused
    if base36_to_int(expires) < time.time():
        raise TokenExpired
    notice = EditorNotice.objects.filter(pk=base36_to_int(notice_id)).first()
    if notice is None:
        raise TokenRefused
    return NoticeClaim(notice=notice, expires_at=float(base36_to_int(expires)))


def _mac(body: str, key: str) -> str:
    digest = salted_hmac(SALT, body, secret=key, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:_MAC_CHARS]
