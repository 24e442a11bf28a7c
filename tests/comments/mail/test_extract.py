from comments.mail.charsets import decode_bytes
from comments.mail.parsing import parse_email
from tests.comments.mail.messages import text_of


def extract(raw: bytes) -> str:
    return text_of(parse_email(raw))


def mime(*parts: bytes, kind: bytes = b"mixed") -> bytes:
    body = b"".join(b"--b\n" + p + b"\n" for p in parts) + b"--b--\n"
    return (
        b"From: a@example.com\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/" + kind + b'; boundary="b"\n\n' + body
    )


def test_plain_part_preferred_over_html():
    raw = mime(
        b"Content-Type: text/plain; charset=utf-8\n\nplain words",
        b"Content-Type: text/html; charset=utf-8\n\n<p>html words</p>",
        kind=b"alternative",
    )
    assert extract(raw) == "plain words"


def test_empty_plain_part_falls_back_to_html():
    raw = mime(
        b"Content-Type: text/plain\n\n   ",
        b"Content-Type: text/html\n\n<p>html <b>words</b></p>",
        kind=b"alternative",
    )
    assert extract(raw) == "html words"


def test_attachment_without_params_is_skipped():
    raw = mime(
        b"Content-Type: text/plain\n\nthe comment",
        b"Content-Type: text/plain\nContent-Disposition: attachment\n\nSECRET LOG",
    )
    assert extract(raw) == "the comment"


def test_attachment_with_filename_is_skipped():
    raw = mime(
        b"Content-Type: text/plain\n\nthe comment",
        b"Content-Type: text/plain\n"
        b'Content-Disposition: ATTACHMENT; filename="a.txt"\n\nLOG',
    )
    assert extract(raw) == "the comment"


def test_forwarded_message_is_not_descended():
    raw = mime(
        b"Content-Type: text/plain\n\nsee below",
        b"Content-Type: message/rfc822\n\nFrom: x@y.example\nSubject: s\n\ninner text",
    )
    assert extract(raw) == "see below"


def test_iso_8859_1_label_decodes_windows_1252_quotes():
    raw = (
        b"From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\n"
        b"\x93quoted\x94 \x80 caf\xe9"
    )
    assert extract(raw) == "\u201cquoted\u201d \u20ac café"


def test_ks_c_5601_label_decodes_korean():
    assert decode_bytes("한국어".encode("cp949"), "ks_c_5601-1987") == "한국어"


def test_unknown_charset_falls_back_to_utf8():
    raw = "From: a@b.example\nContent-Type: text/plain; charset=x-bogus\n\nnaïve"
    assert extract(raw.encode()) == "naïve"


def test_us_ascii_label_with_utf8_bytes_decodes_utf8():
    raw = "From: a@b.example\nContent-Type: text/plain; charset=us-ascii\n\nGrüße"
    assert extract(raw.encode()) == "Grüße"


def test_undecodable_bytes_are_not_silently_dropped():
    assert decode_bytes(b"a\xffb", "utf-8") == "a\u00ffb"


def test_base64_and_quoted_printable_are_decoded():
    raw = mime(
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: base64\n\n"
        b"Q2Fmw6k=",
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: quoted-printable\n\nna=C3=AFve",
    )
    assert extract(raw) == "Café\n\nnaïve"


def test_format_flowed_lines_are_joined():
    raw = (
        b"From: a@b.example\nContent-Type: text/plain; format=flowed\n\n"
        b"This is one \nlong line.\nNext line.\n"
    )
    assert extract(raw) == "This is one long line.\nNext line."


def test_format_flowed_delsp_removes_the_soft_space():
    raw = (
        b"From: a@b.example\nContent-Type: text/plain; format=flowed; delsp=yes\n\n"
        b"Super \ncalifragilistic\n"
    )
    assert extract(raw) == "Supercalifragilistic"


def test_crlf_normalized_and_control_chars_removed():
    raw = b"From: a@b.example\r\n\r\nline\x00one\x07\r\nline\ttwo\x1b\r\n"
    assert extract(raw) == "line one\nline\ttwo".replace(" ", "")


def test_text_is_nfc_normalized():
    raw = "From: a@b.example\nContent-Type: text/plain; charset=utf-8\n\ncafe\u0301"
    assert extract(raw.encode()) == "caf\u00e9"


def test_body_with_raw_mime_markers_counts_as_broken():
    raw = (
        b"From: a@b.example\n\nThis is a multi-part message\n"
        b"Content-Type: multipart/alternative; boundary=x\n\n--x\n"
    )
    assert extract(raw) == ""


def test_non_text_only_message_gives_empty_text():
    raw = b"From: a@b.example\nContent-Type: application/octet-stream\n\nAAAA"
    assert extract(raw) == ""


def test_deeply_nested_multiparts_do_not_raise():
    inner = b"Content-Type: text/plain\n\ndeep"
    for level in range(60):
        boundary = b"b%d" % level
        inner = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\n\n--'
            + boundary
            + b"\n"
            + inner
            + b"\n--"
            + boundary
            + b"--\n"
        )
    assert isinstance(extract(b"From: a@b.example\n" + inner), str)


def test_many_parts_are_capped():
    parts = [b"Content-Type: text/plain\n\npart %d" % i for i in range(500)]
    text = extract(mime(*parts))
    assert "part 0" in text
    assert "part 499" not in text


def test_unparsed_message_gives_empty_text():
    assert extract(b"") == ""
