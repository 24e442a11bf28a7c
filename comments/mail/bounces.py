"""The addresses a bounce says could not be reached.

A delivery status notification (RFC 3464) carries one block per recipient in its
message/delivery-status part; those whose `Action` is `failed` name the address in
`Final-Recipient` (or `Original-Recipient`) as "rfc822; address". A `delayed` or
`relayed` block is not a failure. Exim's non-DSN bounces say it in
`X-Failed-Recipients`. Nothing else a bounce says is read.
"""

from email.message import Message

from comments.mail.parsing import content_type, walk_parts

MAX_ADDRESSES = 50  # a bounce names a few; a forged one naming thousands is cut


def _address(value: object) -> str:
    address_type, _, address = str(value or "").partition(";")
    if not address:  # some servers leave the type out
        address = address_type
    address = address.strip().strip("<>").strip()
    return address if "@" in address and len(address) <= 254 else ""


def _blocks(part: Message) -> list[Message]:
    try:
        payload = part.get_payload()
    except Exception:
        return []
    return (
        [block for block in payload if isinstance(block, Message)]
        if isinstance(payload, list)
        else []
    )


def failed_recipients(message: Message) -> list[str]:
    """The addresses a bounce reports as failed, without repeats."""
    found: list[str] = []
    for part in walk_parts(message):
        if content_type(part) != "message/delivery-status":
            continue
        for block in _blocks(part):
            if str(block.get("Action", "")).strip().lower() != "failed":
                continue
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
            found.append(_address(recipient))
    try:
        exim = message.get_all("X-Failed-Recipients") or []
    except Exception:
        exim = []
    for value in exim:
        found.extend(_address(a) for a in str(value).split(","))
    unique = list(dict.fromkeys(a for a in found if a))
    return unique[:MAX_ADDRESSES]
