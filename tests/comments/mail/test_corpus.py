"""Every public corpus message through the pipeline, and what its parts make of it."""

import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from comments.htmltext import html_to_text
from comments.mail.parsing import parse_email
from comments.mail.pipeline import ingest_raw_email
from comments.mail.trimming import trim_reply
from comments.models import Comment, InboundEmail
from comments.validation import CONTROL_CHARACTERS
from tests.comments.mail.messages import text_of

CORPUS = Path(__file__).resolve().parents[2] / "data" / "email"
FILES = sorted(CORPUS.glob("*.eml"))


def load(name: str):
    return parse_email((CORPUS / name).read_bytes())


QUEUED = ("queued", "unrouted")  # no article exists here, so nothing routes
EMPTY = ("rejected", "empty_body")
BOUNCE = ("ignored", "bounce")
AUTO_REPLY = ("ignored", "auto_reply")
AUTO_GENERATED = ("ignored", "auto_generated")
# What each message is, read by hand (headers and body), and so what the pipeline
# must make of it.
EXPECTED: dict[str, tuple[str, str]] = {
    # Human mail with readable text: queued for an editor.
    "djmbx__message_with_invalid_content_for_declared_encoding.eml": QUEUED,
    "djmbx__message_with_invalid_encoding.eml": QUEUED,  # loan spam, plain text
    "djmbx__message_with_koi8r_filename_attachments.eml": QUEUED,
    "djmbx__message_with_many_multiparts.eml": QUEUED,
    "flanker__8bitmime.eml": QUEUED,
    "flanker__bilingual-simple.eml": QUEUED,
    "flanker__broken-headers.eml": QUEUED,  # link-exchange spam, plain text
    "flanker__iphone.eml": QUEUED,
    "flanker__missing-final-boundary.eml": QUEUED,
    "flanker__no-ctype.eml": QUEUED,
    "flanker__quoted-printable.eml": QUEUED,
    "mail__attachment_message_rfc822.eml": QUEUED,
    "mail__attachment_nonascii_filename.eml": QUEUED,
    "mail__cant_parse_from.eml": QUEUED,  # a newsletter without list headers
    "mail__content_transfer_encoding_empty.eml": QUEUED,  # Big5 HTML spam
    "mail__japanese_iso_2022.eml": QUEUED,
    "mail__ks_c_5601-1987.eml": QUEUED,
    "mail__new_line_in_to_header.eml": QUEUED,  # a lead form's XML, by a person
    "mail__raw_email_incorrect_header.eml": QUEUED,  # adware spam
    "mail__raw_email_reply.eml": QUEUED,
    "mail__raw_email_with_nested_attachment.eml": QUEUED,
    "mail__utf8_headers.eml": QUEUED,
    "sisimai__is-not-bounce-01.eml": QUEUED,
    "talon__android.eml": QUEUED,
    "talon__apple_mail.eml": QUEUED,
    "talon__gmail.eml": QUEUED,
    "talon__hotmail.eml": QUEUED,
    "talon__outlook.eml": QUEUED,
    "talon__reply-quotations-share-block.eml": QUEUED,
    "talon__thunderbird.eml": QUEUED,
    "talon__yahoo.eml": QUEUED,
    # Nothing a reader wrote survives: no text part, only a signature, or a
    # structure so broken that the "text" would be raw MIME.
    "djmbx__message_with_single_byte_extended_subject_encoding.eml": EMPTY,
    "flanker__false-multipart.eml": EMPTY,
    "flanker__mailformed-headers.eml": EMPTY,
    "flanker__outlook-express.eml": EMPTY,  # the body is application/octet-stream
    "flanker__signed.eml": EMPTY,  # the signed part is application/plain
    "mail__header_fields_with_empty_values.eml": EMPTY,  # a signature only
    "mail__missing_body.eml": EMPTY,
    "mail__raw_email_with_illegal_boundary.eml": EMPTY,
    # No sender at all: a Subject and a body.
    "mail__bad_encoded_subject.eml": ("rejected", "malformed"),
    # Machine mail, never a comment (RFC 3834 §2).
    "flanker__broken-mime.eml": BOUNCE,  # from Postmaster
    "flanker__disposition-notification.eml": BOUNCE,  # read receipt (RFC 8098)
    "flanker__gmail-invalid-address.eml": BOUNCE,
    # A person wrote it, from postmaster@: mailer-daemon and postmaster senders
    # are machine mail by rule (Discourse's is_auto_generated?).
    "flanker__long-links.eml": BOUNCE,
    "flanker__mailbox-full.eml": BOUNCE,
    "flanker__yahoo.eml": BOUNCE,  # abuse report (ARF, RFC 5965)
    "mail__multi_address_bounce1.eml": BOUNCE,
    "mail__report_422.eml": BOUNCE,
    "sisimai__lhost-gmail-01.eml": BOUNCE,
    "sisimai__lhost-office365-01.eml": BOUNCE,
    "sisimai__lhost-postfix-01.eml": BOUNCE,
    "sisimai__rfc3464-01.eml": BOUNCE,
    "sisimai__rfc3834-01.eml": AUTO_REPLY,
    "sisimai__rfc3834-02.eml": AUTO_REPLY,
    "sisimai__rfc3834-03.eml": AUTO_REPLY,
    "sisimai__rfc3834-04.eml": AUTO_REPLY,
    "djmbx__message_with_utf8_char.eml": AUTO_GENERATED,  # Precedence: bulk
    "flanker__from-encoding.eml": AUTO_GENERATED,  # Precedence: bulk
    "mail__encoding_madness.eml": AUTO_GENERATED,  # a no-reply sender
    "mail__empty_in_reply_to.eml": ("ignored", "mailing_list"),  # List-Id
}


def test_every_corpus_file_has_an_expected_outcome():
    assert sorted(EXPECTED) == [path.name for path in FILES]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_through_the_pipeline_ends_as_expected(name):
    result = ingest_raw_email((CORPUS / name).read_bytes())

    assert (result.outcome, result.reason) == EXPECTED[name]
    row = InboundEmail.objects.get(pk=result.inbound_email)
    assert (row.outcome, row.reason) == EXPECTED[name]
    comments = list(Comment.objects.all())
    if EXPECTED[name] == QUEUED:
        [comment] = comments
        assert comment.body.strip() and comment.inbound_email == row
        assert not CONTROL_CHARACTERS.search(comment.body)
    else:
        assert comments == []


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("talon__gmail.eml", "Megan One"),
        ("talon__apple_mail.eml", "bob wrote"),
        ("talon__android.eml", "написал"),
        ("talon__hotmail.eml", "Subject: Test"),
        ("talon__outlook.eml", "The manager has commented"),
        ("talon__thunderbird.eml", "Megan One wrote"),
        ("talon__yahoo.eml", "Original Message"),
    ],
)
def test_corpus_talon_reply_keeps_reply_and_drops_quote(name, quoted):
    kept, removed = trim_reply(text_of(load(name)))
    assert kept == "Hello"
    assert quoted in removed


def test_corpus_share_block_reply_keeps_reply_and_drops_quote():
    kept, removed = trim_reply(text_of(load("talon__reply-quotations-share-block.eml")))
    assert "Sounds great" in kept
    assert "Joe XXX" in kept
    assert "booking inquiry" not in kept
    assert "New Booking Inquiry" in removed


def test_corpus_interleaved_list_reply_keeps_answers():
    kept, _removed = trim_reply(text_of(load("flanker__from-encoding.eml")))
    assert "Isn't that the case for almost every other server" in kept


def test_corpus_japanese_iso_2022_body_and_subject_decode():
    parsed = load("mail__japanese_iso_2022.eml")
    assert text_of(parsed) == "すみません。"
    assert parsed.subject == "まみむめも"


def test_corpus_korean_ks_c_5601_body_decodes():
    assert text_of(load("mail__ks_c_5601-1987.eml")) == "스티해"


def test_corpus_russian_utf8_body_and_subject_decode():
    parsed = load("flanker__bilingual-simple.eml")
    assert "\u0410 эта линия по-русски." in text_of(parsed)
    assert "Как ты поживаешь?" in parsed.subject


def test_corpus_japanese_utf8_message_decodes():
    parsed = load("sisimai__is-not-bounce-01.eml")
    assert parsed.subject == "にゃんこ"
    assert text_of(parsed).startswith("にゃー")


def test_corpus_8bit_cyrillic_body_decodes():
    assert text_of(load("flanker__8bitmime.eml")).startswith("Превел")


def test_corpus_koi8r_names_decode():
    parsed = load("djmbx__message_with_koi8r_filename_attachments.eml")
    assert parsed.subject == "Предложения от НИУ ВШЭ на 2016 год"
    assert "Ведомости.pdf" in parsed.attachment_names
    assert text_of(parsed).startswith("Добрый день")


def test_corpus_iso_8859_1_display_name_decodes():
    assert load("mail__header_fields_with_empty_values.eml").from_name == "Jørn Støylen"


def test_corpus_rfc6532_utf8_headers_decode():
    parsed = load("mail__utf8_headers.eml")
    assert parsed.subject == "Säying Hello"
    assert parsed.from_address == "jdöe@mächine.example"


def test_corpus_windows_1252_auto_reply_decodes():
    assert "\x92" not in text_of(load("sisimai__rfc3834-04.eml"))


def test_corpus_html_only_message_gives_text_without_tags():
    text = text_of(load("flanker__long-links.eml"))
    assert text.startswith("http://www.longurlmaker.com/")
    assert "<" not in text and "href" not in text


def test_corpus_html_only_big5_spam_gives_text_without_tags():
    text = text_of(load("mail__content_transfer_encoding_empty.eml"))
    assert text and "<" not in text and "<html" not in text.lower()


def test_corpus_nonascii_attachment_name_decodes():
    assert load("mail__attachment_nonascii_filename.eml").attachment_names == (
        "ciële.txt",
    )


def test_corpus_forwarded_attachment_is_not_the_comment():
    assert (
        text_of(load("mail__attachment_message_rfc822.eml"))
        == "This is the first part."
    )


def test_corpus_iphone_text_around_inline_image_is_joined():
    assert text_of(load("flanker__iphone.eml")) == "Hello\n\n~Danielle"


def test_corpus_stray_header_line_still_yields_sender():
    parsed = load("mail__raw_email_incorrect_header.eml")
    assert parsed.from_address == "xxx@xxx.xxx"
    assert parsed.subject == "Stop adware/spyware once and for all."


def test_corpus_messages_without_message_id_dedupe_on_hash():
    for name in (
        "mail__japanese_iso_2022.eml",
        "talon__outlook.eml",
        "flanker__signed.eml",
    ):
        parsed = load(name)
        assert parsed.message_id == ""
        assert parsed.dedupe_key == f"sha256:{parsed.raw_sha256}"


@pytest.mark.parametrize(
    "name",
    [
        "mail__raw_email_with_illegal_boundary.eml",
        "flanker__mailformed-headers.eml",
        "djmbx__message_with_single_byte_extended_subject_encoding.eml",
    ],
)
def test_corpus_broken_mime_gives_empty_text_not_raw_parts(name):
    assert text_of(load(name)) == ""


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash_parse(raw):
    parsed = parse_email(raw)
    assert parsed.dedupe_key
    assert_script_only_if_literal(text_of(parsed), raw)


def literal_text(html: str) -> str:
    """Every text node of the HTML, as a parser sees it (entities decoded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "html.parser")
    return "".join(str(node) for node in soup.find_all(string=True))


def assert_no_markup_from_tags(html: str, text: str) -> None:
    # Each "<" in the text must be a "<" the writer typed as text ("&lt;" or a
    # stray "<"); a tag of the HTML never survives as markup.
    assert text.count("<") <= literal_text(html).count("<")


def assert_script_only_if_literal(text: str, raw: bytes) -> None:
    if "<script" in text.lower():
        assert b"<script" in raw.lower() or b"&lt;script" in raw.lower()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_never_crashes_html_to_text(html):
    assert_no_markup_from_tags(html, html_to_text(html))


_TAGS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<p>",
        "<div class='gmail_quote'>",
        "<a href='javascript:x'>",
        "<blockquote type=cite>",
        "<style>",
        "<br>",
        "&lt;script&gt;",
        "<",
        ">",
        "x",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TAGS, max_size=40).map("".join))
def test_tag_soup_never_yields_script_tags(html):
    text = html_to_text(html)
    assert text.lower().count("<script") <= html.count("&lt;script&gt;")
    assert_no_markup_from_tags(html, text)
    assert "javascript:" not in text


_HEADERS = st.sampled_from(
    [
        b"From: a@b.example\n",
        b"Content-Type: multipart/mixed; boundary=b\n",
        b"Content-Type: text/html; charset=bogus\n",
        b"Content-Transfer-Encoding: base64\n",
        b"Subject: =?utf-8?b?broken\n",
        b"\n",
        b"--b\n",
        b"--b--\n",
        b"<script>x</script>\n",
        b"Content-Disposition: attachment\n",
        b"\xff\xfe\x00",
        b"format=flowed \n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HEADERS, max_size=30).map(b"".join))
def test_mime_soup_never_crashes_extract(raw):
    text = text_of(parse_email(raw))
    assert_script_only_if_literal(text, raw)
    trim_reply(text)
