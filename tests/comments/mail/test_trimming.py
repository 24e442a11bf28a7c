from comments.mail.trimming import trim_reply


def test_plain_comment_is_kept_whole():
    assert trim_reply("Nice post.\n\nSecond paragraph.") == (
        "Nice post.\n\nSecond paragraph.",
        "",
    )


def test_on_wrote_quote_is_removed():
    kept, removed = trim_reply(
        "I agree.\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Bob <b@example.com> wrote:\n> old"
    )
    assert kept == "I agree."
    assert "> old" in removed


def test_wrapped_attribution_is_removed():
    text = (
        "Thanks!\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Bob Example\n"
        "<b@example.com> wrote:\n\n> old"
    )
    assert trim_reply(text)[0] == "Thanks!"


def test_german_french_spanish_attributions_are_removed():
    for line in (
        "Am 02.04.2012 um 18:26 schrieb Bob <b@example.com>:",
        "Le 2 avr. 2012 à 18:26, Bob <b@example.com> a écrit :",
        "El 2 abr 2012, a las 18:26, Bob <b@example.com> escribió:",
    ):
        assert trim_reply(f"Reply\n\n{line}\n> old")[0] == "Reply", line


def test_outlook_original_message_is_removed():
    text = (
        "Reply here\n\n-----Original Message-----\n"
        "From: A\nSent: B\nTo: C\nSubject: D\n\nold"
    )
    kept, removed = trim_reply(text)
    assert kept == "Reply here"
    assert "old" in removed


def test_outlook_header_block_is_removed():
    text = (
        "Reply\n\nFrom: a@example.com\nSent: Monday\nTo: Bob\n"
        "Subject: Re: x\n\nold body"
    )
    assert trim_reply(text)[0] == "Reply"


def test_rfc3676_signature_is_removed():
    kept, removed = trim_reply("Comment text\n-- \nBob\nCEO, Example Inc.")
    assert kept == "Comment text"
    assert "CEO" in removed


def test_mobile_signatures_are_removed():
    for signature in (
        "Sent from my iPhone",
        "Get Outlook for iOS",
        "Get Outlook for Android",
        "Envoyé de mon iPhone",
        "Von meinem iPhone gesendet",
        "Enviado desde mi iPhone",
        "Inviato da iPhone",
        "Verzonden met BlackBerry",
        "Sent with Airmail",
    ):
        assert trim_reply(f"Short comment.\n\n{signature}")[0] == "Short comment.", (
            signature
        )


def test_trailing_quote_lines_are_removed():
    assert trim_reply("My answer\n\n> quoted\n> more")[0] == "My answer"


def test_interleaved_answers_are_kept():
    text = (
        "On Mon, 1 Jan 2024, Bob <b@example.com> wrote:\n"
        "> q1\nanswer one\n> q2\nanswer two"
    )
    kept, _removed = trim_reply(text)
    assert "answer one" in kept
    assert "> q1" in kept
    assert "answer two" in kept


def test_bottom_post_after_single_quote_keeps_only_answer():
    kept, removed = trim_reply("On 04/02/2012 06:26 PM, Megan wrote:\n> Hi\nHello")
    assert kept == "Hello"
    assert "> Hi" in removed


def test_only_quotes_gives_empty_comment():
    kept, removed = trim_reply("> just\n> quoted\n")
    assert kept == ""
    assert "quoted" in removed


def test_mention_of_wrote_in_prose_is_kept():
    text = "Someone wrote a great post.\nI liked it."
    assert trim_reply(text) == (text, "")


def test_empty_text_gives_empty_results():
    assert trim_reply("") == ("", "")


def test_attribution_and_quote_alone_leave_nothing():
    kept, removed = trim_reply("On Mon, 1 Jan 2024, Ed <ed@x.org> wrote:\n> Old text")
    assert kept == ""
    assert "Old text" in removed
