"""ingest_raw_email: one message in, exactly one stored outcome out."""

import pytest
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from comments.mail import pipeline
from comments.mail.pipeline import ingest_raw_email, reprocess
from comments.models import Comment, CommentStatus, InboundEmail
from comments.signals import comment_submitted
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

PLUS = "tech.handrail404+{}@passinbox.com"


def stored(result) -> InboundEmail:
    return InboundEmail.objects.get(pk=result.inbound_email)


@pytest.mark.django_db
def test_plain_reply_is_queued_pending_with_quote_in_trimmed_text():
    article = make_article(slug="open-weights")
    raw = email_bytes(
        to=PLUS.format("open-weights"),
        body="Weights are data.\n\nOn Mon, 1 Jan 2024, Ed <ed@x.org> wrote:\n> Old",
    )

    result = ingest_raw_email(raw)

    assert (result.outcome, result.reason) == ("queued", "routed_by_plus_address")
    comment = Comment.objects.get(pk=result.comment)
    assert (comment.article, comment.status) == (article, CommentStatus.PENDING)
    assert comment.body == "Weights are data."
    assert "> Old" in comment.trimmed_text
    assert comment.author_name == "Anonymous"
    assert comment.author_email == "reader@example.org"
    row = stored(result)
    assert (row.outcome, row.reason, row.sender) == (
        "queued",
        "routed_by_plus_address",
        "reader@example.org",
    )
    assert row.sender_name == "Reader One"
    assert row.processed_at is not None


@pytest.mark.django_db
def test_same_message_twice_is_one_comment_and_a_duplicate():
    raw = email_bytes()

    first = ingest_raw_email(raw)
    second = ingest_raw_email(raw)

    assert (second.outcome, second.reason) == ("ignored", "duplicate")
    assert second.inbound_email == first.inbound_email
    assert InboundEmail.objects.count() == 1
    assert stored(first).seen_count == 2
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_message_without_message_id_is_deduplicated_by_its_bytes():
    raw = email_bytes(message_id=None)
    ingest_raw_email(raw)
    assert ingest_raw_email(raw).reason == "duplicate"
    assert InboundEmail.objects.get().dedupe_key.startswith("sha256:")


@pytest.mark.django_db
def test_unrouted_mail_is_queued_without_article():
    result = ingest_raw_email(email_bytes(subject="Thoughts"))
    assert (result.outcome, result.reason, result.article) == (
        "queued",
        "unrouted",
        None,
    )
    assert Comment.objects.get().article is None


@pytest.mark.django_db
def test_oversized_message_is_rejected_with_headers_kept(settings):
    settings.MAX_EMAIL_BYTES = 2000
    raw = email_bytes(subject="Big one", body="x" * 5000)

    result = ingest_raw_email(raw[: settings.MAX_EMAIL_BYTES + 1])

    assert (result.outcome, result.reason) == ("rejected", "too_large")
    row = stored(result)
    assert row.subject == "Big one"
    assert b"xxxxx" not in bytes(row.raw)
    assert bytes(row.raw).startswith(raw[:50])
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_five_megabyte_message_with_a_photo_passes_under_the_default_cap():
    photo = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    raw = email_bytes(body="Photo of my setup.", attachment=("setup.jpg", photo))
    assert len(raw) > 5_000_000

    result = ingest_raw_email(raw)

    assert (result.outcome, result.reason) == ("queued", "unrouted")
    assert Comment.objects.get().body == "Photo of my setup."
    assert stored(result).attachment_names == ["setup.jpg"]


@pytest.mark.django_db
def test_mail_for_an_article_with_closed_comments_is_rejected():
    make_article(slug="closed", comments_open=False)
    result = ingest_raw_email(email_bytes(to=PLUS.format("closed")))
    assert (result.outcome, result.reason, result.article) == (
        "rejected",
        "comments_closed",
        "closed",
    )
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_mail_from_our_own_address_is_ignored():
    result = ingest_raw_email(
        email_bytes(sender="The Source Hat <noreply@sourcehat.example>")
    )
    assert (result.outcome, result.reason) == ("ignored", "own_mail")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_our_own_notice_bounced_back_by_an_autoresponder_is_ignored():
    raw = email_bytes(
        sender="Vacation <reader@example.org>",
        subject="Automatic reply: New comments are waiting",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert ingest_raw_email(raw).reason == "auto_reply"
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_hostile_html_only_mail_becomes_plain_text():
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script></head><body>"
        '<p onclick="steal()">Great <b>piece</b>.</p>'
        '<a href="javascript:alert(2)">click</a><img src=x onerror=alert(3)>'
        "<iframe src='https://evil.example'></iframe></body></html>"
    )
    result = ingest_raw_email(email_bytes(body="", html=html))

    comment = Comment.objects.get(pk=result.comment)
    assert comment.body == "Great piece.\n\nclick"
    assert "alert" not in comment.body and "javascript" not in comment.body


@pytest.mark.django_db
def test_empty_reply_with_only_a_quote_is_rejected():
    raw = email_bytes(body="On Mon, 1 Jan 2024, Ed <ed@x.org> wrote:\n> Old text")
    result = ingest_raw_email(raw)
    assert (result.outcome, result.reason) == ("rejected", "empty_body")


@pytest.mark.django_db
def test_garbage_bytes_are_rejected_as_malformed():
    result = ingest_raw_email(b"\x00\xff not an email at all")
    assert (result.outcome, result.reason) == ("rejected", "malformed")
    assert stored(result).error


@pytest.mark.django_db
def test_too_long_body_is_truncated_with_a_visible_mark(settings):
    settings.COMMENT_MAX_LENGTH = 100
    result = ingest_raw_email(email_bytes(body="word " * 100))
    body = Comment.objects.get(pk=result.comment).body
    assert len(body) <= 100
    assert body.endswith("[…]")


@pytest.mark.django_db
def test_dmarc_failure_alone_is_listed_but_stays_pending(settings):
    settings.AUTHSERV_ID = "mx.passinbox.com"
    raw = email_bytes(
        headers={"Authentication-Results": "mx.passinbox.com; dmarc=fail header.from=x"}
    )
    result = ingest_raw_email(raw)

    comment = Comment.objects.get(pk=result.comment)
    assert comment.status == CommentStatus.PENDING
    assert any("DMARC" in r and "example.org" in r for r in comment.spam_reasons)
    assert stored(result).auth_verdict["dmarc"] == "fail"


@pytest.mark.django_db
def test_dmarc_failure_with_our_servers_spam_flag_is_spam(settings):
    settings.AUTHSERV_ID = "mx.passinbox.com"
    raw = email_bytes(
        headers={
            "Authentication-Results": "mx.passinbox.com; dmarc=fail header.from=x",
            "X-Spam-Flag": "YES",
        }
    )
    comment = Comment.objects.get(pk=ingest_raw_email(raw).comment)

    assert comment.status == CommentStatus.SPAM
    assert len(comment.spam_reasons) == 2


SHOPS = [f"https://deals{n}.shop.example/buy?ref={n}" for n in range(20)]


@pytest.mark.django_db
@pytest.mark.parametrize("authserv_id", ["", "mx.passinbox.com"])
def test_reply_with_twenty_shop_links_and_failed_dmarc_is_spam(settings, authserv_id):
    # The probe's message: generic praise, twenty links to unrelated shops, SPF
    # softfail and DMARC failure; spam whether or not our server's verdict is
    # trusted (AUTHSERV_ID unset, the default, trusts none).
    settings.AUTHSERV_ID = authserv_id
    body = "Great article, very informative! Check these out:\n" + "\n".join(SHOPS)
    raw = email_bytes(
        body=body,
        headers={
            "Authentication-Results": "mx.passinbox.com; spf=softfail "
            "smtp.mailfrom=example.org; dmarc=fail header.from=example.org"
        },
    )
    comment = Comment.objects.get(pk=ingest_raw_email(raw).comment)

    assert comment.status == CommentStatus.SPAM
    assert "20 links." in comment.spam_reasons
    if authserv_id:
        assert any("SPF softfail" in r for r in comment.spam_reasons)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 3])
def test_reply_with_a_few_links_stays_pending(count):
    body = "Two sources worth reading:\n" + "\n".join(SHOPS[:count])
    comment = Comment.objects.get(pk=ingest_raw_email(email_bytes(body=body)).comment)

    assert comment.status == CommentStatus.PENDING


@pytest.mark.django_db
def test_authentication_results_from_another_server_are_not_trusted(settings):
    settings.AUTHSERV_ID = "mx.passinbox.com"
    raw = email_bytes(headers={"Authentication-Results": "forger.example; dmarc=pass"})
    row = stored(ingest_raw_email(raw))
    assert row.auth_verdict["dmarc"] == "unknown"
    assert "forger.example" in row.authentication_results


@pytest.mark.django_db
def test_blocked_term_email_is_queued_as_spam():
    from comments.models import SpamTerm

    SpamTerm.objects.create(term="cheap pills", kind="blocked")
    result = ingest_raw_email(email_bytes(body="Buy cheap pills now"))
    assert result.outcome == "queued"
    assert Comment.objects.get().status == CommentStatus.SPAM


@pytest.mark.django_db
def test_processing_error_marks_the_row_failed_and_reprocess_queues_it(
    monkeypatch,
):
    def broken(*args, **kwargs):
        raise RuntimeError("routing exploded")

    monkeypatch.setattr(pipeline, "route", broken)
    result = ingest_raw_email(email_bytes())
    assert (result.outcome, result.reason) == ("failed", "processing_error")
    row = stored(result)
    assert "routing exploded" in row.error
    assert Comment.objects.count() == 0

    monkeypatch.undo()
    again = reprocess(row)

    assert (again.outcome, again.reason) == ("queued", "unrouted")
    row.refresh_from_db()
    assert (row.outcome, row.error, row.attempts) == ("queued", "", 2)
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_failed_row_is_reprocessed_when_the_same_mail_arrives_again(monkeypatch):
    raw = email_bytes()
    monkeypatch.setattr(pipeline, "route", lambda *a, **k: 1 / 0)
    assert ingest_raw_email(raw).outcome == "failed"
    monkeypatch.undo()

    result = ingest_raw_email(raw)

    assert result.outcome == "queued"
    assert InboundEmail.objects.count() == 1
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_database_outage_during_processing_propagates_and_leaves_row_received(
    monkeypatch,
):
    def outage(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "route", outage)
    with pytest.raises(OperationalError):
        ingest_raw_email(email_bytes())
    assert InboundEmail.objects.get().outcome == "received"


def test_summary_is_one_line():
    result = pipeline.IngestResult("queued", "unrouted", None, 3, 7)
    assert result.summary() == "queued unrouted article=- comment=3 inbound_email=7"
    assert result.as_json() == {
        "outcome": "queued",
        "reason": "unrouted",
        "article": None,
        "comment": 3,
        "inbound_email": 7,
    }


@pytest.mark.django_db(transaction=True)  # real commits: the hooks run
@pytest.mark.parametrize(
    "error", [RuntimeError("notice broke"), RedisConnectionError()]
)
def test_failure_after_the_commit_never_turns_a_queued_email_into_failed(error):
    # What runs after the commit (the editors' notice, which takes a slot in the
    # cache) may fail; the comment is stored by then and the outcome stands.
    calls = []

    def broken_notice(**kwargs):
        calls.append(kwargs["comment"].pk)
        raise error

    comment_submitted.connect(broken_notice, weak=False)
    try:
        result = ingest_raw_email(email_bytes(body="Stored before the notice."))
    finally:
        comment_submitted.disconnect(broken_notice)

    assert calls == [result.comment]
    assert (result.outcome, stored(result).outcome) == ("queued", "queued")
    assert Comment.objects.get().body == "Stored before the notice."


def legacy_message(label: bytes, body: bytes) -> bytes:
    return (
        b"From: Reader <reader@example.org>\r\nSubject: Outlook\r\n"
        b"Message-ID: <legacy-" + label + b"@example.org>\r\n"
        b"Content-Type: text/plain; charset=" + label + b"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
    )


@pytest.mark.django_db
@pytest.mark.parametrize("label", [b"iso-8859-1", b"us-ascii", b'"ISO-8859-1"'])
def test_latin1_or_ascii_label_on_windows_1252_bytes_reads_as_windows_1252(label):
    # Outlook's curly quotes and ellipsis under a Latin-1 label, plus 0x81, a
    # byte Windows-1252 leaves undefined (WHATWG maps it to U+0081): one such
    # byte once sent the whole text to Latin-1, its quotes to C1 controls.
    body = b"\x93Weights\x94 are data\x85 mostly \x81\x96 I think."

    result = ingest_raw_email(legacy_message(label, body))

    text = Comment.objects.get(pk=result.comment).body
    assert text == "\u201cWeights\u201d are data\u2026 mostly \u2013 I think."


@pytest.mark.django_db
def test_email_of_invisible_characters_only_is_rejected_as_empty():
    result = ingest_raw_email(email_bytes(body="\u200b\u200b\ufeff\n\u2060"))

    assert (result.outcome, result.reason) == ("rejected", "empty_body")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_sender_address_longer_than_the_column_is_kept_on_the_email_only():
    sender = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + "." + "c" * 53 + ".org"
    result = ingest_raw_email(email_bytes(sender=f"Long <{sender}>"))

    assert result.outcome == "queued"
    assert Comment.objects.get().author_email == ""
    assert stored(result).sender == sender


def eight_bit_email(charset: bytes, name: bytes = b"Ren\xe9e") -> bytes:
    return (
        b"From: " + name + b" <renee@example.org>\n"
        b"To: tech.handrail404@passinbox.com\nSubject: Caf\xe9\n"
        b"Message-ID: <charset-" + str(len(charset)).encode() + b"@example.org>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=" + charset + b"\n"
        b"Content-Transfer-Encoding: 8bit\n\n"
        b"J'ai lu l'article: tr\xc3\xa8s bien, merci pour tout.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "charset", [b'"undefined"', b'"utf-8\x00"', b'"utf-8\\0"', b"x-no-such-charset"]
)
def test_unknown_charset_is_a_hint_and_the_text_and_sender_are_kept(charset):
    result = ingest_raw_email(eight_bit_email(charset))

    assert result.outcome == "queued", result
    comment = Comment.objects.get()
    assert comment.body == "J'ai lu l'article: très bien, merci pour tout."
    row = stored(result)
    assert (row.sender, row.sender_name) == ("renee@example.org", "Renée")


@pytest.mark.django_db
def test_encoded_word_in_an_unknown_charset_is_decoded_by_the_fallback_order():
    result = ingest_raw_email(
        eight_bit_email(b"utf-8", name=b"=?undefined?Q?Ren=E9e?=")
    )

    assert stored(result).sender_name == "Renée"


@pytest.mark.django_db
def test_text_deeper_than_ten_mime_levels_is_left_unread_with_a_note():
    opened = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n)
        for n in range(12)
    )
    raw = (
        email_bytes(body="x").split(b"Content-Type:")[0]
        + b"MIME-Version: 1.0\n"
        + opened
        + b"Content-Type: text/plain\n\nDeep down words nobody reads.\n"
    )

    result = ingest_raw_email(raw)

    assert (result.outcome, result.reason) == ("rejected", "empty_body")
    notes = stored(result).processing_notes
    assert any("down to 10 levels" in n for n in notes), notes


@pytest.mark.django_db
@pytest.mark.parametrize("filler", ["\u3164", "\u2800", "\u115f\u00ad", "\U000e0020"])
def test_emailed_text_of_fillers_only_is_an_empty_body(filler):
    result = ingest_raw_email(email_bytes(body=filler * 30))

    assert (result.outcome, result.reason) == ("rejected", "empty_body")
    assert Comment.objects.count() == 0
