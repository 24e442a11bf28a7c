import hashlib

from comments.mail.parsing import parse_email

SIMPLE = (
    b"From: =?utf-8?q?Ren=C3=A9e?= <Renee@Example.COM>\r\n"
    b"To: Tech+my-post@SourceHat.example, other@example.org\r\n"
    b"Delivered-To: tech+my-post@sourcehat.example\r\n"
    b"X-Original-To: tech+first@sourcehat.example\r\n"
    b"Subject: =?utf-8?b?Q2Fmw6k=?= =?utf-8?b?IGNvbW1lbnQ=?=\r\n"
    b"Message-ID:  <abc.123@example.com> \r\n"
    b"Authentication-Results: mx.example; dmarc=pass\r\n"
    b"\r\n"
    b"Hello\r\n"
)


def test_well_formed_message_fields_are_decoded():
    parsed = parse_email(SIMPLE)
    assert parsed.malformed == ""
    assert parsed.subject == "Café comment"
    assert parsed.from_name == "Renée"
    assert parsed.from_address == "renee@example.com"
    assert parsed.message_id == "abc.123@example.com"
    assert parsed.dedupe_key == "abc.123@example.com"
    assert parsed.authentication_results == ("mx.example; dmarc=pass",)


def test_recipients_follow_delivery_header_order_lowercased():
    parsed = parse_email(SIMPLE)
    assert parsed.recipients == (
        "tech+first@sourcehat.example",
        "tech+my-post@sourcehat.example",
        "other@example.org",
    )


def test_missing_message_id_dedupes_on_raw_hash():
    raw = b"From: a@example.com\nSubject: hi\n\nbody\n"
    parsed = parse_email(raw)
    digest = hashlib.sha256(raw).hexdigest()
    assert parsed.message_id == ""
    assert parsed.raw_sha256 == digest
    assert parsed.dedupe_key == f"sha256:{digest}"


def test_overlong_message_id_dedupes_on_raw_hash():
    raw = b"Message-ID: <" + b"x" * 300 + b"@example.com>\nFrom: a@example.com\n\nb\n"
    parsed = parse_email(raw)
    assert parsed.dedupe_key.startswith("sha256:")
    assert len(parsed.message_id) > 255


def test_mbox_from_line_is_accepted():
    raw = b"From someone@example.com Mon Jan  1 00:00:00 2024\n" + SIMPLE
    parsed = parse_email(raw)
    assert parsed.malformed == ""
    assert parsed.from_address == "renee@example.com"


def test_raw_utf8_subject_is_decoded():
    parsed = parse_email("Subject: Grüße aus Köln\nFrom: a@b.example\n\nx".encode())
    assert parsed.subject == "Grüße aus Köln"


def test_raw_windows_1252_subject_is_decoded():
    parsed = parse_email(b"Subject: caf\xe9 \x93quoted\x94\nFrom: a@b.example\n\nx")
    assert parsed.subject == "café \u201cquoted\u201d"


def test_subject_control_chars_removed_and_capped():
    raw = b"Subject: a\x00b\x07c" + b"d" * 400 + b"\nFrom: a@b.example\n\nx"
    parsed = parse_email(raw)
    assert parsed.subject.startswith("abc")
    assert len(parsed.subject) == 255


def test_encoded_word_in_an_unknown_charset_with_bad_padding_is_decoded():
    parsed = parse_email(b"Subject: =?NONE?B?VEVTVA=?=\n\nbody")
    assert parsed.malformed == ""
    assert parsed.subject == "TEST"


def test_from_without_address_gives_empty_address():
    parsed = parse_email(b"From: Just A Name\nSubject: x\n\nbody")
    assert parsed.from_address == ""
    assert parsed.from_name == "Just A Name"


def test_outlook_mailto_form_gives_address():
    parsed = parse_email(b"From: x@example.com [mailto:x@example.com]\n\nbody")
    assert parsed.from_address == "x@example.com"


def test_empty_input_is_malformed():
    assert parse_email(b"").malformed
    assert parse_email(b"").message is None


def test_binary_garbage_is_not_an_email():
    parsed = parse_email(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert parsed.malformed == "no headers"
    assert parsed.dedupe_key.startswith("sha256:")


def test_stray_line_in_header_block_keeps_later_headers():
    raw = (
        b"Received: x\nquite Delivered-To: a@b.example\n"
        b"From: c@d.example\nSubject: s\n\nbody"
    )
    parsed = parse_email(raw)
    assert parsed.from_address == "c@d.example"
    assert parsed.subject == "s"


def test_rfc2231_attachment_name_is_decoded():
    raw = (
        b"From: a@b.example\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nhi\n"
        b"--b\nContent-Type: application/pdf\n"
        b"Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\n\n"
        b"xx\n--b--\n"
    )
    assert parse_email(raw).attachment_names == ("résumé.pdf",)
