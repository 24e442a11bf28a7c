"""Every public corpus message through parse -> filters -> extract -> trim."""

import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from comments.mail.extract import extract_text
from comments.mail.filters import machine_mail_reason
from comments.mail.html import html_to_text
from comments.mail.parsing import parse_email
from comments.mail.trimming import trim_reply

CORPUS = Path(__file__).resolve().parents[2] / "data" / "email"
FILES = sorted(CORPUS.glob("*.eml"))
OWN = ["tech@sourcehat.example"]


def load(name: str):
    return parse_email((CORPUS / name).read_bytes())


def test_corpus_is_complete():
    assert len(FILES) == 60
    assert (CORPUS / "SOURCES.md").exists()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_message_goes_through_pipeline_without_error(path):
    parsed = parse_email(path.read_bytes())
    machine_mail_reason(parsed, OWN)
    text = extract_text(parsed)
    kept, removed = trim_reply(text)
    assert isinstance(kept, str) and isinstance(removed, str)
    assert "\x00" not in text and "\r" not in text
    assert parsed.dedupe_key and len(parsed.dedupe_key) <= 255


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("sisimai__rfc3834-01.eml", "auto_reply"),
        ("sisimai__rfc3834-02.eml", "auto_reply"),
        ("sisimai__rfc3834-03.eml", "auto_reply"),
        ("sisimai__rfc3834-04.eml", "auto_reply"),
        ("sisimai__rfc3464-01.eml", "bounce"),
        ("sisimai__lhost-gmail-01.eml", "bounce"),
        ("sisimai__lhost-postfix-01.eml", "bounce"),
        ("sisimai__lhost-office365-01.eml", "bounce"),
        ("mail__report_422.eml", "bounce"),
        ("mail__multi_address_bounce1.eml", "bounce"),
        ("flanker__gmail-invalid-address.eml", "bounce"),
        ("flanker__mailbox-full.eml", "bounce"),
        ("flanker__broken-mime.eml", "bounce"),
        ("flanker__disposition-notification.eml", "bounce"),
        ("flanker__yahoo.eml", "bounce"),
        ("mail__empty_in_reply_to.eml", "mailing_list"),
        ("flanker__from-encoding.eml", "auto_generated"),
        ("djmbx__message_with_utf8_char.eml", "auto_generated"),
        ("mail__encoding_madness.eml", "auto_generated"),
    ],
)
def test_corpus_machine_mail_is_recognised(name, reason):
    assert machine_mail_reason(load(name), OWN) == reason


@pytest.mark.parametrize(
    "name",
    [
        "sisimai__is-not-bounce-01.eml",
        "talon__gmail.eml",
        "talon__outlook.eml",
        "flanker__bilingual-simple.eml",
        "mail__japanese_iso_2022.eml",
    ],
)
def test_corpus_human_mail_is_not_machine_mail(name):
    assert machine_mail_reason(load(name), OWN) is None


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
    kept, removed = trim_reply(extract_text(load(name)))
    assert kept == "Hello"
    assert quoted in removed


def test_corpus_share_block_reply_keeps_reply_and_drops_quote():
    kept, removed = trim_reply(
        extract_text(load("talon__reply-quotations-share-block.eml"))
    )
    assert "Sounds great" in kept
    assert "Joe XXX" in kept
    assert "booking inquiry" not in kept
    assert "New Booking Inquiry" in removed


def test_corpus_interleaved_list_reply_keeps_answers():
    kept, _removed = trim_reply(extract_text(load("flanker__from-encoding.eml")))
    assert "Isn't that the case for almost every other server" in kept


def test_corpus_japanese_iso_2022_body_and_subject_decode():
    parsed = load("mail__japanese_iso_2022.eml")
    assert extract_text(parsed) == "すみません。"
    assert parsed.subject == "まみむめも"


def test_corpus_korean_ks_c_5601_body_decodes():
    assert extract_text(load("mail__ks_c_5601-1987.eml")) == "스티해"


def test_corpus_russian_utf8_body_and_subject_decode():
    parsed = load("flanker__bilingual-simple.eml")
    assert "\u0410 эта линия по-русски." in extract_text(parsed)
    assert "Как ты поживаешь?" in parsed.subject


def test_corpus_japanese_utf8_message_decodes():
    parsed = load("sisimai__is-not-bounce-01.eml")
    assert parsed.subject == "にゃんこ"
    assert extract_text(parsed).startswith("にゃー")


def test_corpus_8bit_cyrillic_body_decodes():
    assert extract_text(load("flanker__8bitmime.eml")).startswith("Превел")


def test_corpus_koi8r_names_decode():
    parsed = load("djmbx__message_with_koi8r_filename_attachments.eml")
    assert parsed.subject == "Предложения от НИУ ВШЭ на 2016 год"
    assert "Ведомости.pdf" in parsed.attachment_names
    assert extract_text(parsed).startswith("Добрый день")


def test_corpus_iso_8859_1_display_name_decodes():
    assert load("mail__header_fields_with_empty_values.eml").from_name == "Jørn Støylen"


def test_corpus_rfc6532_utf8_headers_decode():
    parsed = load("mail__utf8_headers.eml")
    assert parsed.subject == "Säying Hello"
    assert parsed.from_address == "jdöe@mächine.example"


def test_corpus_windows_1252_auto_reply_decodes():
    assert "\x92" not in extract_text(load("sisimai__rfc3834-04.eml"))


def test_corpus_html_only_message_gives_text_without_tags():
    text = extract_text(load("flanker__long-links.eml"))
    assert text.startswith("http://www.longurlmaker.com/")
    assert "<" not in text and "href" not in text


def test_corpus_html_only_big5_spam_gives_text_without_tags():
    text = extract_text(load("mail__content_transfer_encoding_empty.eml"))
    assert text and "<" not in text and "<html" not in text.lower()


def test_corpus_nonascii_attachment_name_decodes():
    assert load("mail__attachment_nonascii_filename.eml").attachment_names == (
        "ciële.txt",
    )


def test_corpus_forwarded_attachment_is_not_the_comment():
    assert (
        extract_text(load("mail__attachment_message_rfc822.eml"))
        == "This is the first part."
    )


def test_corpus_iphone_text_around_inline_image_is_joined():
    assert extract_text(load("flanker__iphone.eml")) == "Hello\n\n~Danielle"


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
    assert extract_text(load(name)) == ""


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash_parse(raw):
    parsed = parse_email(raw)
    assert parsed.dedupe_key
    assert_script_only_if_literal(extract_text(parsed), raw)


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
    text = extract_text(parse_email(raw))
    assert_script_only_if_literal(text, raw)
    trim_reply(text)
