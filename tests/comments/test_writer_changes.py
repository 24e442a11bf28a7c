"""The writer corrects or withdraws their own waiting comment from the receipt page,
within the window and until an editor decides; the decision log says so."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment, CommentStatus
from moderation import transitions as t
from moderation.models import Decision

pytestmark = pytest.mark.django_db
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def _send(client, article, body="Teh weights are a binary."):
    posted = client.post(
        f"/articles/{article.slug}/comment/", {"name": "Ada", "body": body}
    )
    return posted["Location"], Comment.objects.latest("pk")


def _change(client, receipt, **data):
    return client.post(receipt + "change/", data, headers=SAME_SITE)


def test_writer_corrects_a_waiting_comment_and_editors_see_the_new_text(
    client, article, editor_client
):
    receipt, comment = _send(client, article)

    changed = _change(client, receipt, body="The weights are a binary.")

    assert changed.status_code == 303
    page = client.get(changed["Location"])
    assert "Your correction is saved" in page.text
    assert "The weights are a binary." in page.text
    comment.refresh_from_db()
    assert comment.public_text == "The weights are a binary."
    assert comment.status == CommentStatus.PENDING and not comment.is_edited
    decision = Decision.objects.get(comment=comment)
    assert decision.get_action_display() == "Corrected by the writer"
    assert decision.previous_text == "Teh weights are a binary."
    assert decision.editor is None
    review = editor_client.get("/admin/comments/comment/review/").text
    assert "The weights are a binary." in review and "Teh weights" not in review


def test_writer_withdraws_a_waiting_comment_out_of_the_queue(client, article):
    receipt, comment = _send(client, article)

    changed = _change(client, receipt, withdraw="1")

    page = client.get(changed["Location"])
    assert "You withdrew this comment" in page.text
    assert not Comment.objects.awaiting_review().exists()
    decision = Decision.objects.get(comment=comment)
    assert decision.get_action_display() == "Withdrawn by the writer"


def test_writer_cannot_change_it_after_the_window(client, article):
    receipt, comment = _send(client, article)
    later = timezone.now() + timedelta(minutes=11)

    with patch("django.utils.timezone.now", return_value=later):
        page = client.get(receipt)
        refused = _change(client, receipt, body="Too late now.")

    assert "Correct or withdraw it" not in page.text
    assert refused.status_code == 409
    assert "Your change was not made" in refused.text
    comment.refresh_from_db()
    assert comment.body == "Teh weights are a binary."
    assert not Decision.objects.exists()


def test_once_an_editor_decided_the_comment_is_theirs(client, article, editor):
    receipt, comment = _send(client, article)
    t.edit_comment(comment=comment, editor=editor, text="The editors' version.")

    refused = _change(client, receipt, withdraw="1")

    assert refused.status_code == 409
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_receipt_offers_the_change_only_while_it_may_be_made(client, article):
    receipt, _ = _send(client, article)

    soup = BeautifulSoup(client.get(receipt).text, "html5lib")

    form = soup.find("form", action=receipt + "change/")
    assert form.find("textarea")["name"] == "body"
    assert form.find("button", string="Withdraw my comment")


def test_correction_meets_the_same_rules_and_keeps_the_text(client, article):
    receipt, _ = _send(client, article)

    refused = _change(client, receipt, body="x" * 10_001)

    assert refused.status_code == 400
    assert "Please shorten it by 1." in refused.text
    assert Comment.objects.get().body == "Teh weights are a binary."


def test_change_from_another_site_is_refused(client, article):
    receipt, _ = _send(client, article)

    refused = client.post(
        receipt + "change/", {"withdraw": "1"}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert refused.status_code == 403
    assert Comment.objects.get().status == CommentStatus.PENDING
