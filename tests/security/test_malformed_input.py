"""Malformed and oversized input: a clear error or a stored rejection, never a 500."""

import pytest

from comments.models import Comment


def post_raw(client, article, body: bytes, content_type: str):
    return client.generic(
        "POST",
        f"/articles/{article.slug}/comment/",
        body,
        content_type=content_type,
    )


@pytest.mark.django_db
def test_overlong_comment_is_refused_with_the_limit_and_text_kept(client, article):
    body = "word " * 2_500  # 12,500 characters, over the 10,000 limit

    response = client.post(f"/articles/{article.slug}/comment/", {"body": body})

    assert response.status_code == 400
    assert "limited to 10,000 characters" in response.text
    assert "word word word" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_body_larger_than_django_accepts_gets_a_readable_400(client, article):
    body = b"body=" + b"x" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_raw(client, article, body, "application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "We could not read that request" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_nul_bytes_are_refused_with_a_form_error(client, article):
    response = client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "Nul\x00Name", "body": "Hidden\x00 bytes in here."},
    )

    assert response.status_code == 400
    assert "Null characters are not allowed" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_invalid_utf8_is_stored_with_replacement_characters(client, article):
    body = b"body=Caf%C3%A9+and+broken+%FF%FE+bytes&name=Ren%C3"

    response = post_raw(client, article, body, "application/x-www-form-urlencoded")

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.body == "Café and broken \ufffd\ufffd bytes"
    assert comment.author_name == "Ren\ufffd"


@pytest.mark.django_db
def test_raw_invalid_utf8_in_multipart_form_never_500s(client, article):
    boundary = "XyZ"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n'
    tail = f"--{boundary}--\r\n"
    body = head.encode() + b"Broken \xc3\x28 sequence \xff here.\r\n" + tail.encode()

    response = post_raw(
        client, article, body, f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code in {303, 400}
    assert response.status_code != 500


@pytest.mark.django_db
def test_absurdly_long_name_is_refused_with_a_form_error(client, article):
    response = client.post(
        f"/articles/{article.slug}/comment/",
        {"name": "N" * 50_000, "body": "A normal comment."},
    )

    assert response.status_code == 400
    assert "characters" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_one_absurdly_long_line_within_the_limit_is_accepted(client, article):
    line = "https://example.org/" + "a" * 9_000

    response = client.post(f"/articles/{article.slug}/comment/", {"body": line})

    assert response.status_code == 303
    assert Comment.objects.get().body == line


@pytest.mark.django_db
def test_name_with_a_newline_or_bidi_override_is_refused(client, article):
    for name in ("Two\nlines", "evil\u202etxt.exe"):
        response = client.post(
            f"/articles/{article.slug}/comment/", {"name": name, "body": "Hello there."}
        )

        assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_garbage_form_encoding_never_500s(client, article):
    for body, ctype in (
        (b"\xff\xfe\x00\x00garbage", "application/x-www-form-urlencoded"),
        (b"--nope\r\n\r\n", "multipart/form-data; boundary=other"),
        (b"body=" + b"%" * 5000, "application/x-www-form-urlencoded"),
        (b'{"body": "json?"}', "application/json"),
    ):
        response = post_raw(client, article, body, ctype)

        assert response.status_code in {303, 400}, body[:20]


# --- The email pipeline -------------------------------------------------------------

_DEEP = 300


def _deeply_nested() -> bytes:
    raw = b"From: r@example.org\nSubject: deep\nMessage-ID: <deep@example.org>\n"
    raw += b"MIME-Version: 1.0\n"
    for n in range(_DEEP):
        raw += b"Content-Type: multipart/mixed; boundary=d%d\n\n--d%d\n" % (n, n)
    raw += b"Content-Type: text/plain\n\nhello from the bottom\n"
    for n in reversed(range(_DEEP)):
        raw += b"--d%d--\n" % n
    return raw


MALFORMED_EMAILS = {
    "deeply nested MIME": _deeply_nested(),
    "NUL bytes": b"From: r@example.org\nSubject: nul\x00s\n\nHello\x00 there, x\x00.\n",
    "invalid UTF-8": b"From: r@example.org\nSubject: caf\xc3\n"
    b"Content-Type: text/plain; charset=utf-8\n\nBroken \xc3\x28 and \xff bytes.\n",
    "absurdly long line": b"From: r@example.org\nSubject: long\n\n" + b"a" * 500_000,
    "absurdly long name": b"From: " + b"N" * 20_000 + b" <r@example.org>\n\nHello.\n",
    "no headers at all": b"\xff\xfe\x00garbage",
    "empty": b"",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", MALFORMED_EMAILS)
def test_malformed_email_ends_in_a_stored_outcome(name):
    from comments.mail.pipeline import ingest_raw_email
    from comments.models import InboundEmail

    result = ingest_raw_email(MALFORMED_EMAILS[name])

    row = InboundEmail.objects.get(pk=result.inbound_email)
    assert row.outcome in {"queued", "ignored", "rejected", "failed"}
    assert row.outcome != "failed", row.error
    for comment in Comment.objects.all():
        assert "\x00" not in comment.body and len(comment.author_name) <= 100


@pytest.mark.django_db
def test_oversized_email_is_recorded_as_rejected(settings):
    from comments.mail.pipeline import ingest_raw_email
    from comments.models import InboundEmail

    settings.MAX_EMAIL_BYTES = 1000
    raw = b"From: r@example.org\nSubject: big\n\n" + b"x" * 5000

    result = ingest_raw_email(raw)

    row = InboundEmail.objects.get(pk=result.inbound_email)
    assert row.outcome == "rejected"
    assert not Comment.objects.exists()
