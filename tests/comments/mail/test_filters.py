import pytest

from comments.mail.filters import machine_mail_reason
from comments.mail.parsing import parse_email


@pytest.fixture(autouse=True)
def _our_address(settings):
    settings.COMMENTS_EMAIL_ADDRESS = "The Source Hat <tech@sourcehat.example>"


def reason(headers: str, body: str = "hello") -> str | None:
    raw = (headers.strip() + "\n\n" + body).encode()
    return machine_mail_reason(parse_email(raw))


def test_reader_mail_is_not_machine_mail():
    assert reason("From: Ann <ann@example.com>\nSubject: Great post") is None


def test_our_own_address_is_own_mail():
    assert reason("From: TECH@SourceHat.example\nSubject: x") == "own_mail"


def test_our_plus_address_is_own_mail():
    assert reason("From: tech+my-post@sourcehat.example") == "own_mail"


def test_similar_local_part_is_not_own_mail():
    assert reason("From: techie@sourcehat.example") is None


def test_multipart_report_is_bounce():
    headers = (
        "From: someone@example.com\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"'
    )
    assert reason(headers, "--b\nContent-Type: text/plain\n\nx\n--b--\n") == "bounce"


def test_mailer_daemon_sender_is_bounce():
    assert reason("From: MAILER-DAEMON@mx.example.com") == "bounce"


def test_postmaster_sender_is_bounce():
    assert reason("From: Post_Master@example.com") == "bounce"


def test_null_return_path_is_bounce():
    assert reason("Return-Path: <>\nFrom: a@example.com\nSubject: Hi") == "bounce"


def test_auto_submitted_auto_replied_is_auto_reply():
    assert reason("From: a@example.com\nAuto-Submitted: auto-replied") == "auto_reply"


def test_x_autoreply_is_auto_reply():
    assert reason("From: a@example.com\nX-Autoreply: yes") == "auto_reply"


def test_localized_out_of_office_subjects_are_auto_reply():
    for subject in (
        "Automatic reply: Nice post",
        "Abwesenheitsnotiz: Re: Post",
        "Réponse automatique : votre message",
        "Respuesta automática: hola",
        "Automatisch antwoord: x",
        "Out of Office: back Monday",
        "Fuori sede: x",
    ):
        assert reason(f"From: a@example.com\nSubject: {subject}") == "auto_reply", (
            subject
        )


def test_exchange_oof_with_null_return_path_is_auto_reply():
    headers = (
        "Return-Path: <>\nFrom: a@example.com\nX-Auto-Response-Suppress: All\n"
        "Subject: Automatic reply: Nyaan"
    )
    assert reason(headers) == "auto_reply"


def test_human_subject_mentioning_out_of_office_is_not_auto_reply():
    assert reason("From: a@example.com\nSubject: Out of office culture is bad") is None


def test_auto_submitted_no_is_human():
    assert reason("From: a@example.com\nAuto-Submitted: no") is None


def test_auto_submitted_auto_generated_is_auto_generated():
    headers = "From: a@example.com\nAuto-Submitted: auto-generated (notice)"
    assert reason(headers) == "auto_generated"


def test_precedence_bulk_is_auto_generated():
    assert reason("From: a@example.com\nPrecedence: bulk") == "auto_generated"


def test_no_reply_sender_is_auto_generated():
    assert reason("From: no-reply@shop.example") == "auto_generated"
    assert reason("From: donotreply@shop.example") == "auto_generated"


def test_x_auto_response_suppress_alone_is_not_machine_mail():
    assert reason("From: a@example.com\nX-Auto-Response-Suppress: All") is None


def test_list_id_is_mailing_list():
    assert reason("From: a@example.com\nList-Id: <dev.lists.example>") == "mailing_list"


def test_mailman_header_is_mailing_list():
    assert reason("From: a@example.com\nX-Mailman-Version: 2.1") == "mailing_list"


def test_precedence_list_is_mailing_list():
    assert reason("From: a@example.com\nPrecedence: list") == "mailing_list"


def test_own_mail_wins_over_auto_generated():
    headers = "From: tech@sourcehat.example\nAuto-Submitted: auto-generated"
    assert reason(headers) == "own_mail"


def test_unparseable_message_is_not_classified():
    assert machine_mail_reason(parse_email(b"")) is None
