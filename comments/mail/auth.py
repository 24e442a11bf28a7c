"""Read SPF/DKIM/DMARC verdicts from trusted Authentication-Results headers.

RFC 8601 §5: any upstream hop can add an Authentication-Results header, so only
those whose authserv-id is our own receiving server (``AUTHSERV_ID``) count.
Discourse does the same (lib/email/authentication_results.rb).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

METHODS = ("spf", "dkim", "dmarc")
UNKNOWN = "unknown"
NONE = "none"
# The worst result wins when a method appears more than once (several DKIM
# signatures: one failing is worth showing an editor).
_RANK = {
    "fail": 6,
    "permerror": 5,
    "temperror": 4,
    "softfail": 3,
    "neutral": 2,
    "policy": 2,
    "none": 1,
    "pass": 0,
}
_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"(?:^|;)\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.I)


def authentication_verdict(
    header_values: Iterable[str], authserv_id: str
) -> dict[str, str]:
    """{"spf", "dkim", "dmarc"} -> result from headers our own server added."""
    verdict = dict.fromkeys(METHODS, UNKNOWN)
    wanted = authserv_id.strip().lower()
    if not wanted:
        return verdict
    trusted = [v for v in header_values if _authserv_id(v) == wanted]
    if not trusted:
        return verdict
    verdict = dict.fromkeys(METHODS, NONE)  # RFC 8601 §2.7: absent = not checked
    found: dict[str, list[str]] = {}
    for value in trusted:
        for method, result in _RESULT.findall(_strip_comments(value)):
            found.setdefault(method.lower(), []).append(result.lower())
    for method, results in found.items():
        verdict[method] = max(results, key=lambda r: _RANK.get(r, 0))
    return verdict


def _strip_comments(value: str) -> str:
    # RFC 8601 uses RFC 5322 CFWS; comments may nest, so strip until stable.
    previous = None
    while previous != value:
        previous, value = value, _COMMENT.sub(" ", value)
    return value


def _authserv_id(value: str) -> str:
    """The authserv-id: the first token, before any version or ";"."""
    head = _strip_comments(str(value)).strip().split(";", 1)[0].strip()
    return head.split()[0].lower() if head else ""
