"""erase_commenter: a reader's address and name go everywhere; text on request."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment, CommentStatus, InboundEmail
from moderation.models import Action, Decision
from moderation.transitions import edit_comment
from tests.factories import make_comment

ADDRESS = "ada@example.org"


def erase(*args: str) -> str:
    out = StringIO()
    call_command("erase_commenter", *args, "--no-input", stdout=out)
    return out.getvalue()


@pytest.fixture
def commenter(article):
    email = InboundEmail.objects.create(
        raw=b"From: Ada <ada@example.org>\r\n\r\nMy mailed thoughts",
        raw_sha256="y" * 64,
        dedupe_key="ada-1@example.org",
        sender=ADDRESS,
        sender_name="Ada Lovelace",
        subject="About your article",
        authentication_results="mx; spf=pass smtp.mailfrom=ada@example.org",
        extracted_text="My mailed thoughts",
    )
    return {
        "published": make_comment(
            article=article,
            status="published",
            body="My published thoughts.",
            author_name="Ada Lovelace",
            author_email=ADDRESS,
            ip_address="203.0.113.5",
        ),
        "pending": make_comment(
            article=article,
            source="email",
            body="My mailed thoughts.",
            author_name="Ada Lovelace",
            author_email="ADA@example.org",
            inbound_email=email,
        ),
        "email": email,
        "other": make_comment(
            article=article, status="published", author_email="bob@example.org"
        ),
    }


@pytest.mark.django_db
def test_erasure_removes_address_name_and_text_everywhere(client, article, commenter):
    output = erase(ADDRESS)

    for key in ("published", "pending"):
        comment = Comment.objects.get(pk=commenter[key].pk)
        assert (comment.author_email, comment.author_name) == ("", "Anonymous")
        assert comment.body == "" and comment.body_html == ""
        assert comment.ip_address is None
    email = InboundEmail.objects.get(pk=commenter["email"].pk)
    assert (email.sender, email.sender_name, bytes(email.raw)) == ("", "", b"")
    assert email.extracted_text == ""
    assert "ada" not in email.authentication_results
    assert "from 2 comment(s) and 1 stored email(s)" in output
    assert "took down 1" in output


@pytest.mark.django_db
def test_erased_published_comment_is_taken_off_the_page(client, article, commenter):
    erase(ADDRESS)

    html = client.get(article.get_absolute_url()).text

    assert "My published thoughts" not in html and "Ada Lovelace" not in html
    comment = Comment.objects.get(pk=commenter["published"].pk)
    assert comment.status == CommentStatus.REJECTED


@pytest.mark.django_db
def test_keep_published_text_keeps_it_anonymously(client, article, commenter):
    client.get(article.get_absolute_url())  # the comments section is now cached

    erase(ADDRESS, "--keep-published-text")

    html = client.get(article.get_absolute_url()).text
    assert "My published thoughts" in html
    assert "Ada Lovelace" not in html and "Anonymous:" in html
    pending = Comment.objects.get(pk=commenter["pending"].pk)
    assert pending.body == ""  # unpublished text still goes


@pytest.mark.django_db
def test_each_erasure_is_recorded_without_the_address(commenter):
    erase(ADDRESS)

    erasures = Decision.objects.filter(action=Action.ERASE)
    assert erasures.count() == 2
    for decision in Decision.objects.all():
        assert "ada" not in f"{decision.note} {decision.previous_text}".lower()


@pytest.mark.django_db
def test_erasure_also_clears_earlier_edited_versions(editor, commenter):
    edit_comment(comment=commenter["published"], editor=editor, text="Ada's version.")

    erase(ADDRESS)

    assert not Decision.objects.filter(previous_text__icontains="thoughts").exists()


@pytest.mark.django_db
def test_other_commenters_are_untouched_and_rerun_finds_nothing(commenter):
    erase(ADDRESS)

    output = erase(ADDRESS)

    other = Comment.objects.get(pk=commenter["other"].pk)
    assert other.author_email == "bob@example.org" and other.body
    assert other.status == CommentStatus.PUBLISHED
    assert "from 0 comment(s) and 0 stored email(s)" in output


@pytest.mark.django_db
def test_dry_run_counts_what_would_go_and_changes_nothing(commenter):
    out = StringIO()
    call_command("erase_commenter", ADDRESS, "--dry-run", stdout=out)

    assert out.getvalue().strip() == (
        "Would erase the address and name from 2 comment(s) and 1 stored email(s); "
        "would take down 1 published comment(s); would keep the published text of 0."
    )
    assert Comment.objects.filter(author_name="Ada Lovelace").count() == 2
    assert not Decision.objects.filter(action=Action.ERASE).exists()


@pytest.mark.django_db
def test_erasure_asks_first_and_a_no_erases_nothing(commenter, monkeypatch):
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")

    with pytest.raises(CommandError, match="nothing erased"):
        call_command("erase_commenter", ADDRESS, stdout=StringIO())

    assert "can't be undone" in asked[0]
    assert Comment.objects.filter(author_name="Ada Lovelace").count() == 2


@pytest.mark.django_db
def test_erasure_goes_ahead_on_yes(commenter, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("erase_commenter", ADDRESS, stdout=StringIO())

    assert not Comment.objects.filter(author_name="Ada Lovelace").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["", " ", "\t"])
def test_blank_address_is_a_command_error(address):
    with pytest.raises(CommandError, match="email address"):
        call_command("erase_commenter", address, "--no-input")


@pytest.mark.django_db
def test_erasure_forgets_the_confirmation_and_old_names_but_keeps_a_suppression(
    article, editor
):
    from comments.models import Suppression, WriterAddress
    from comments.writers import confirm, row_for, suppress
    from moderation.transitions import rename_comment

    confirm(row_for("Bob@example.org"))
    suppress(row_for(ADDRESS), because=Suppression.UNSUBSCRIBED)
    comment = make_comment(article=article, author_email=ADDRESS)
    rename_comment(comment=comment, editor=editor, name="Ada Lovelace")
    make_comment(article=article, author_email="bob@example.org")

    erase(ADDRESS)
    erase("bob@example.org")

    assert list(WriterAddress.objects.values_list("address", "confirmed_at")) == [
        (ADDRESS, None)
    ]
    assert WriterAddress.objects.get().is_suppressed
    rename = Decision.objects.get(action=Action.RENAME)
    assert (rename.note, rename.previous_text) == ("", "")
