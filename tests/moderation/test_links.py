"""Signed links in the editors' notice email: GET shows, POST confirms, once."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from comments.models import CommentStatus
from moderation import links
from moderation.models import Action, Decision, UsedLink
from moderation.notices import send_editor_notice
from tests.factories import make_comment, make_editor, make_user
from tests.moderation.desk import make_email_comment

S = CommentStatus
pytestmark = pytest.mark.django_db
LINK = re.compile(r"^  (Publish|Publish and feature|Reject|Mark as spam): (\S+)$", re.M)


def link_path(comment, action, editor) -> str:
    token = links.make_token(comment_id=comment.pk, action=action, editor_id=editor.pk)
    return reverse("moderation:link", kwargs={"token": token})


def later(monkeypatch, span: timedelta) -> None:
    """Move the clock `signing` reads forward, so a link looks `span` old."""
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + span.total_seconds())


def test_notice_sends_each_editor_their_own_links(mailoutbox, settings):
    settings.SITE_URL = "https://blog.example.org"
    alice = make_editor(email="alice@example.org")
    bob = make_editor(email="bob@example.org")
    comment = make_comment()

    assert send_editor_notice()

    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, bob.email]
    for message in mailoutbox:
        found = LINK.findall(message.body)
        assert [label for label, _ in found] == [
            "Publish",
            "Publish and feature",
            "Reject",
            "Mark as spam",
        ]
        owner = alice if message.to == [alice.email] else bob
        for _, url in found:
            assert url.startswith("https://blog.example.org/moderation/link/")
            token = url.rstrip("/").rsplit("/", 1)[1]
            claim = links.read_token(token)
            assert (claim.comment_id, claim.editor_id) == (comment.pk, owner.pk)
    assert LINK.findall(mailoutbox[0].body) != LINK.findall(mailoutbox[1].body)


def test_notice_offers_no_publish_link_for_unrouted_comment(mailoutbox, editor):
    make_email_comment(article=None)

    send_editor_notice()

    labels = [label for label, _ in LINK.findall(mailoutbox[0].body)]
    assert labels == ["Reject", "Mark as spam"]


def test_plain_get_of_link_changes_nothing(client, editor):
    comment = make_comment(body="Scanners must not publish me.")

    response = client.get(link_path(comment, "publish", editor))

    assert response.status_code == 200
    assert "Scanners must not publish me." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == S.PENDING
    assert not UsedLink.objects.exists()
    assert not Decision.objects.filter(action=Action.PUBLISH).exists()


def test_get_as_signed_in_editor_changes_nothing_either(editor_client, editor):
    comment = make_comment()

    response = editor_client.get(link_path(comment, "spam", editor))

    assert 'id="link-confirm-button"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_confirming_as_editor_publishes_and_records_that_editor(editor_client, editor):
    comment = make_comment()

    response = editor_client.post(link_path(comment, "publish", editor))

    assert response.status_code == 200
    assert "Done" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED
    decision = Decision.objects.filter(comment=comment).first()
    assert (decision.action, decision.editor) == (Action.PUBLISH, editor)
    assert decision.get_channel_display() == "A link in the notice email"


def test_feature_link_publishes_and_features(editor_client, editor):
    comment = make_comment()

    editor_client.post(link_path(comment, "feature", editor))

    comment.refresh_from_db()
    assert (comment.status, comment.featured) == (S.PUBLISHED, True)


def test_confirming_without_login_redirects_to_admin_login_with_next(client, editor):
    # By default (MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN off) a link alone never acts.
    comment = make_comment()
    path = link_path(comment, "reject", editor)

    response = client.post(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert "next=" in response.url and "moderation/link/" in response.url
    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_get_without_login_offers_sign_in_not_confirm(client, editor):
    page = client.get(link_path(make_comment(), "publish", editor)).content.decode()

    assert 'id="link-sign-in"' in page
    assert 'id="link-confirm-button"' not in page


def test_reused_link_is_refused(editor_client, editor):
    comment = make_comment()
    path = link_path(comment, "reject", editor)
    editor_client.post(path)
    editor_client.post(reverse("admin:comments_comment_review"), {"action": "undo"})

    again = editor_client.post(path)
    shown = editor_client.get(path)

    assert again.status_code == shown.status_code == 410
    assert "already been used" in again.content.decode()
    comment.refresh_from_db()
    assert comment.status == S.PENDING  # the undo stands; the link did nothing


def test_expired_link_is_refused(editor_client, editor, monkeypatch):
    comment = make_comment()
    path = link_path(comment, "publish", editor)
    later(monkeypatch, links.SIGNED_IN_MAX_AGE + timedelta(minutes=1))

    response = editor_client.post(path)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_link_just_inside_its_age_still_works(editor_client, editor, monkeypatch):
    comment = make_comment()
    path = link_path(comment, "publish", editor)
    later(monkeypatch, links.SIGNED_IN_MAX_AGE - timedelta(minutes=1))

    assert editor_client.post(path).status_code == 200
    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED


@pytest.mark.parametrize("how", ["payload", "signature", "salt"])
def test_tampered_link_is_refused(editor_client, editor, how):
    comment = make_comment()
    other = make_comment()
    token = links.make_token(comment_id=comment.pk, action="reject", editor_id=1)
    payload, stamp, signature = token.split(":")
    if how == "payload":
        forged = signing.dumps(
            {"c": other.pk, "a": "publish", "e": editor.pk, "n": "x"}, salt="nope"
        )
        token = f"{forged.split(':')[0]}:{stamp}:{signature}"
    elif how == "signature":
        token = f"{payload}:{stamp}:{signature[:-2]}xx"
    else:  # validly signed by this site, for another purpose
        token = signing.dumps({"c": other.pk, "a": "publish", "e": editor.pk})

    response = editor_client.post(reverse("moderation:link", kwargs={"token": token}))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    other.refresh_from_db()
    comment.refresh_from_db()
    assert other.status == comment.status == S.PENDING


def test_signed_in_non_editor_is_refused(client, editor):
    client.force_login(make_user(is_staff=True))
    comment = make_comment()

    response = client.post(link_path(comment, "publish", editor))

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_link_for_comment_decided_meanwhile_does_nothing_and_stays_unused(
    editor_client, editor
):
    comment = make_comment(status=S.PUBLISHED)

    response = editor_client.post(link_path(comment, "publish", editor))

    assert response.status_code == 409
    assert "Nothing done" in response.content.decode()
    assert not UsedLink.objects.exists()


def test_opt_in_confirms_without_login_as_the_links_editor(client, editor, settings):
    settings.MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN = True
    comment = make_comment()
    path = link_path(comment, "spam", editor)

    assert client.get(path).status_code == 200
    comment.refresh_from_db()
    assert comment.status == S.PENDING
    response = client.post(path)

    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.status == S.SPAM
    assert Decision.objects.filter(comment=comment).first().editor == editor
    assert client.post(path).status_code == 410


def test_opt_in_link_older_than_a_day_needs_sign_in(
    client, editor, settings, monkeypatch
):
    settings.MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN = True
    comment = make_comment()
    path = link_path(comment, "publish", editor)
    later(monkeypatch, links.LINK_ONLY_MAX_AGE + timedelta(minutes=1))

    response = client.post(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_opt_in_link_of_someone_no_longer_editor_needs_sign_in(
    client, editor, settings
):
    settings.MODERATION_LINKS_CONFIRM_WITHOUT_LOGIN = True
    comment = make_comment()
    path = link_path(comment, "publish", editor)
    editor.groups.clear()

    response = client.post(path)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == S.PENDING
