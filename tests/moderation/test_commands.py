"""The management commands as an operator meets them: help that reads well in a
terminal, bad arguments as one-line errors, and the small setup commands."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, load_command_class

from blog.models import Article
from comments.models import Comment
from moderation.permissions import EDITORS_GROUP

pytestmark = pytest.mark.django_db

COMMANDS = [
    ("comments", "fetch_email"),
    ("comments", "ingest_email"),
    ("moderation", "purge_personal_data"),
    ("moderation", "erase_commenter"),
    ("moderation", "moderation_report"),
    ("moderation", "add_editor"),
    ("moderation", "ensure_dev_editor"),
    ("moderation", "seed_demo"),
]


def help_text(app: str, name: str) -> str:
    """What `manage.py help NAME` (or NAME --help) prints."""
    command = load_command_class(app, name)
    return command.create_parser("manage.py", name).format_help()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("app", "name"), COMMANDS)
def test_help_opens_with_one_line_saying_what_it_does(app, name):
    text = help_text(app, name)
    description = text.split("\n\n")[1]

    assert "\n" not in description.strip()
    assert description.strip().endswith(".")


def test_fetch_email_help_keeps_the_url_formats_on_their_own_lines():
    lines = help_text("comments", "fetch_email").splitlines()

    assert any(line.startswith("IMAP_URL: imaps://") for line in lines)
    assert any(line.startswith("Without --watch:") for line in lines)


def test_erase_commenter_help_explains_the_safety_options():
    text = help_text("moderation", "erase_commenter")

    assert "--dry-run" in text and "--no-input" in text
    assert "can't be undone" in text


def test_purge_with_negative_days_is_a_command_error():
    with pytest.raises(CommandError, match="0 or more days"):
        call_command("purge_personal_data", "--spam-older-than", "-1")


@pytest.mark.parametrize("hours", ["0", "-2", "nan"])
def test_report_with_no_positive_hours_is_a_command_error(hours):
    with pytest.raises(CommandError, match="above 0"):
        call_command("moderation_report", "--alert-after", hours)


def test_add_editor_creates_an_editor_who_must_set_a_password():
    output = run("add_editor", "sam@example.org")

    user = get_user_model().objects.get(email="sam@example.org")
    assert user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert "editor created: sam@example.org" in output
    assert "changepassword sam@example.org" in output


def test_add_editor_promotes_an_existing_user_by_address():
    user = get_user_model().objects.create_user("kim", "Kim@Example.org", "pw-123")

    output = run("add_editor", "kim@example.org")

    user.refresh_from_db()
    assert user.is_staff and user.check_password("pw-123")
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert "editor promoted: kim" in output
    assert get_user_model().objects.count() == 1


def test_add_editor_refuses_what_is_not_an_address():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("add_editor", "not-an-address")

    assert not get_user_model().objects.exists()


def test_seed_demo_fills_the_site_once(client):
    run("seed_demo")
    articles, comments = Article.objects.count(), Comment.objects.count()
    run("seed_demo")  # idempotent

    assert articles > 0 and Comment.objects.awaiting_review().exists()
    assert (Article.objects.count(), Comment.objects.count()) == (articles, comments)
    article = Article.objects.published().first()
    published = Comment.objects.published().filter(article=article).first()
    assert published is not None
    page = client.get(article.get_absolute_url()).text
    assert article.title in page


def test_ensure_dev_editor_gives_a_working_local_sign_in(client, settings):
    settings.DEBUG = True
    output = run("ensure_dev_editor")
    run("ensure_dev_editor")  # again: the same account

    assert "as 'editor' with password 'editor'" in output
    assert get_user_model().objects.filter(username="editor").count() == 1
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "editor"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_ensure_dev_editor_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only for DEBUG"):
        call_command("ensure_dev_editor")

    assert not get_user_model().objects.filter(username="editor").exists()
