from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, CommentSource, CommentStatus
from moderation import transitions as t
from moderation.models import Decision, PickLabel, RejectReason
from tests.factories import make_article, make_comment, make_user
from tests.moderation.desk import REVIEW_URL, make_email_comment

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/comment/"


def test_queue_opens_on_pending_oldest_first(editor_client):
    article = make_article()
    newer = make_comment(article=article, body="The newer pending comment.")
    older = make_comment(article=article, body="The older pending comment.")
    Comment.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(hours=3)
    )
    make_comment(
        article=article, status=CommentStatus.PUBLISHED, body="Already published."
    )

    html = editor_client.get(QUEUE).content.decode()

    assert html.index("The older pending") < html.index("The newer pending")
    assert "Already published." not in html
    assert newer.author_name in html


def test_bulk_publish_and_feature_puts_comment_first_on_page(
    editor_client, editor, client
):
    article = make_article()
    plain = make_comment(article=article, body="A plain good comment.")
    pick = make_comment(article=article, body="The best comment of all.")

    editor_client.post(QUEUE, {"action": "publish", "_selected_action": [plain.pk]})
    editor_client.post(QUEUE, {"action": "feature", "_selected_action": [pick.pk]})

    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("The best comment of all.") < page.index("A plain good comment.")
    assert "Editor’s pick" in page
    assert Decision.objects.filter(editor=editor).count() == 3


def test_bulk_publish_of_rejected_ones_leaves_a_withdrawn_comment_off_the_page(
    editor_client, editor, client
):
    article = make_article()
    withdrawn = make_comment(article=article, body="On second thought, no.")
    t.withdraw_by_writer(comment=withdrawn)
    rejected = make_comment(article=article, body="Rejected, then reconsidered.")
    t.reject_comment(comment=rejected, editor=editor)

    response = editor_client.post(
        f"{QUEUE}?status=rejected",
        {"action": "publish", "_selected_action": [withdrawn.pk, rejected.pk]},
        follow=True,
    )

    assert "withdrawn by the writer): #" in response.content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Rejected, then reconsidered." in page
    assert "On second thought" not in page


def test_bulk_action_reports_skipped_unrouted_comment(editor_client):
    unrouted = make_comment(article=None, source=CommentSource.EMAIL)

    response = editor_client.post(
        QUEUE, {"action": "publish", "_selected_action": [unrouted.pk]}, follow=True
    )

    assert "Skipped 1" in response.content.decode()
    unrouted.refresh_from_db()
    assert unrouted.status == CommentStatus.PENDING


@pytest.mark.parametrize(
    "action,status",
    [("reject", "rejected"), ("spam", "spam"), ("publish", "published")],
)
def test_bulk_actions_move_comments(editor_client, action, status):
    comment = make_comment()

    editor_client.post(QUEUE, {"action": action, "_selected_action": [comment.pk]})

    comment.refresh_from_db()
    assert comment.status == status


def test_back_to_pending_action(editor_client):
    comment = make_comment(status=CommentStatus.SPAM)

    editor_client.post(
        QUEUE + "?status=spam",
        {"action": "pending", "_selected_action": [comment.pk]},
    )

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_comment_page_shows_original_edit_preview_and_history(editor_client, editor):
    comment = make_comment(
        body="Orignal <b>text</b> https://example.org", ip_address="198.51.100.7"
    )
    from moderation import transitions as t

    t.edit_comment(
        comment=comment, editor=editor, text="Original <b>text</b> https://example.org"
    )

    html = editor_client.get(f"{QUEUE}{comment.pk}/change/").content.decode()

    assert "Orignal &lt;b&gt;text&lt;/b&gt;" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "198.51.100.7" in html
    assert "Edited" in html  # decision history


def test_change_page_buttons_publish_and_edit_goes_through_transition(editor_client):
    comment = make_comment(body="A comment with a tpyo.")
    url = f"{QUEUE}{comment.pk}/change/"

    form = {
        "article": comment.article_id,
        "edited_body": "A comment with a typo fixed.",
        "author_name": "Anonymous",
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
    }
    editor_client.post(url, {**form, "_continue": "1"})
    editor_client.post(url, {**form, "_publish": "1"})

    comment.refresh_from_db()
    assert comment.body == "A comment with a tpyo."
    assert comment.status == CommentStatus.PUBLISHED
    assert "typo fixed" in comment.body_html


def test_unrouted_filter_and_assign_article(editor_client):
    article = make_article(title="Routing target")
    comment = make_comment(
        article=None, source=CommentSource.EMAIL, body="Where do I go?"
    )

    listing = editor_client.get(QUEUE + "?routed=no").content.decode()
    editor_client.post(
        f"{QUEUE}{comment.pk}/change/",
        {
            "article": article.pk,
            "edited_body": "",
            "author_name": "Anonymous",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
            "_continue": "1",
        },
    )

    assert "Where do I go?" in listing
    comment.refresh_from_db()
    assert comment.article == article


def test_admin_index_shows_pending_badge(editor_client):
    make_comment()
    make_comment()

    html = editor_client.get("/admin/").content.decode()

    assert '<strong class="pending-badge">2</strong> comments waiting' in html


def test_staff_outside_editors_get_403_on_queue(client):
    client.force_login(make_user())

    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}{make_comment().pk}/change/").status_code == 403


def test_editors_cannot_delete_comments(editor_client):
    comment = make_comment()

    response = editor_client.post(f"{QUEUE}{comment.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_article_admin_shows_its_comments_inline(client, db):
    from tests.factories import make_user as mk

    admin_user = mk(is_superuser=True)
    client.force_login(admin_user)
    article = make_article()
    make_comment(article=article, body="Inline visible comment.")

    html = client.get(f"/admin/blog/article/{article.pk}/change/").content.decode()

    assert "Inline visible comment." in html


# --- Issue 14: what editors met first -----------------------------------------------


def change_page(editor_client, comment) -> BeautifulSoup:
    response = editor_client.get(f"{QUEUE}{comment.pk}/change/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def change_form(comment, **fields) -> dict:
    return {
        "article": comment.article_id,
        "author_name": comment.author_name,
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
        "_continue": "1",
        **fields,
    }


def test_comment_list_shows_a_short_excerpt_and_compact_columns(editor_client):
    long_text = "Word " * 60
    make_comment(body=long_text, author_name="Mara")

    soup = BeautifulSoup(editor_client.get(QUEUE).content.decode(), "html.parser")

    row = soup.select_one("#result_list tbody tr")
    excerpt = row.select_one(".field-excerpt_column").get_text()
    assert len(excerpt) <= 60 and excerpt.endswith("…")
    assert "Mara" in row.select_one(".field-from_column").get_text()
    assert "web" in row.select_one(".field-from_column").get_text()
    headers = [th.get_text(strip=True) for th in soup.select("#result_list thead th")]
    assert headers[1:] == [
        "Comment",
        "Article",
        "From",
        "Submitted",
        "Spam",
        "Status",
        "Featured",
    ]


def test_comment_list_filters_are_folded_showing_their_choice(editor_client):
    make_comment(article=make_article())
    make_comment(article=make_article())

    soup = BeautifulSoup(editor_client.get(QUEUE).content.decode(), "html.parser")

    folded = soup.select("#changelist-filter details")
    assert len(folded) == 7  # status, source, routing, featured, article, DMARC, date
    assert not any(d.has_attr("open") for d in folded)
    summaries = [" ".join(d.summary.get_text().split()) for d in folded]
    assert summaries[0] == "Status: Awaiting review"


def test_edited_body_starts_as_the_text_visitors_see(editor_client, editor):
    plain = make_comment(body="The reader's own words.")
    edited = make_comment(body="teh words")
    t.edit_comment(comment=edited, editor=editor, text="The words, fixed.")

    for comment, expected in [
        (plain, "The reader's own words."),
        (edited, "The words, fixed."),
    ]:
        textarea = change_page(editor_client, comment).find(id="id_edited_body")
        assert textarea.get_text().strip() == expected


def test_saving_the_page_untouched_records_no_edit(editor_client):
    comment = make_comment(body="Left as it is.")

    editor_client.post(
        f"{QUEUE}{comment.pk}/change/",
        change_form(comment, edited_body="Left as it is."),
    )

    comment.refresh_from_db()
    assert comment.edited_body == ""
    assert not Decision.objects.filter(comment=comment, action="edit").exists()


def test_emptying_edited_body_goes_back_to_the_readers_text(editor_client, editor):
    comment = make_comment(body="teh words")
    t.edit_comment(comment=comment, editor=editor, text="The words, fixed.")

    response = editor_client.post(
        f"{QUEUE}{comment.pk}/change/", change_form(comment, edited_body="")
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.edited_body, comment.public_text) == ("", "teh words")


def test_web_comment_page_has_no_email_sections(editor_client):
    web = make_comment(body="From the form.")
    mailed = make_email_comment()

    web_page = change_page(editor_client, web).get_text()
    mail_page = change_page(editor_client, mailed).get_text()

    assert "What trimming removed" not in web_page
    assert "What trimming removed" in mail_page


def test_change_page_buttons_say_whose_comment(editor_client):
    comment = make_comment(author_name="Mara", body="Weights without data: a view.")

    response = editor_client.post(
        f"{QUEUE}{comment.pk}/change/",
        change_form(comment, edited_body=comment.body, _publish="1"),
        follow=True,
    )

    assert "Published: Mara’s comment “Weights without data: a view.”" in (
        response.content.decode()
    )


def test_fresh_install_offers_pick_labels_and_reject_reasons(editor_client):
    make_comment()

    soup = BeautifulSoup(editor_client.get(REVIEW_URL).content.decode(), "html.parser")

    labels = [o.get_text() for o in soup.select("select[name=label] option")]
    reasons = [o.get_text() for o in soup.select("select[name=reason] option")]
    assert "Expert view" in labels and len(labels) >= 4
    assert "Off topic" in reasons and len(reasons) >= 4


def test_deleted_default_labels_are_not_created_again_by_migrate():
    PickLabel.objects.filter(name="Dissent").delete()
    RejectReason.objects.all().delete()

    call_command("migrate", verbosity=0)

    assert not PickLabel.objects.filter(name="Dissent").exists()
    assert not RejectReason.objects.exists()
    assert PickLabel.objects.filter(name="Expert view").exists()


def test_status_line_does_not_repeat_a_pick_label_that_says_pick(editor_client, editor):
    comment = make_comment(status=CommentStatus.PUBLISHED)
    t.feature_comment(comment=comment, editor=editor, label="Editor's pick")

    status = change_page(editor_client, comment).find(class_="field-status_line")

    assert " ".join(status.get_text().split()) == "Status: Published · Editor’s pick"


def test_author_name_changed_in_the_admin_is_a_rename_decision(editor_client):
    # Issue 23: the name shown is the editors' choice, made here as a decision
    # (it used to be read-only, so that no change could skip the Decision).
    comment = make_comment(author_name="Ada")
    url = f"{QUEUE}{comment.pk}/change/"

    editor_client.post(
        url,
        {
            "article": comment.article_id,
            "edited_body": "",
            "author_name": "Someone Else",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
            "_continue": "1",
        },
    )

    comment.refresh_from_db()
    assert comment.author_name == "Someone Else"
    rename = comment.decisions.get(action="rename")
    assert (rename.previous_text, rename.note) == ("Ada", "Someone Else")


@pytest.mark.parametrize(
    ("status", "featured", "routed", "buttons"),
    [
        (
            CommentStatus.PENDING,
            False,
            True,
            ["Publish", "Publish and feature", "Reject", "Mark as spam"],
        ),
        (CommentStatus.PENDING, False, False, ["Reject", "Mark as spam"]),
        (
            CommentStatus.PUBLISHED,
            True,
            True,
            ["Reject", "Mark as spam", "Back to pending"],
        ),
        (
            CommentStatus.SPAM,
            False,
            True,
            ["Publish", "Publish and feature", "Reject", "Back to pending"],
        ),
    ],
)
def test_change_page_offers_the_decisions_its_state_allows(
    editor_client, status, featured, routed, buttons
):
    article = make_article() if routed else None
    comment = make_comment(status=status, featured=featured, article=article)

    soup = change_page(editor_client, comment)

    offered = soup.select(".moderation-buttons input[type=submit]")
    assert [b["value"] for b in offered] == buttons


def test_change_page_button_message_uses_the_same_words_as_the_bulk_action(
    editor_client,
):
    comment = make_comment(body="Spam, spam, spam.")

    response = editor_client.post(
        f"{QUEUE}{comment.pk}/change/",
        change_form(comment, _spam="1"),
        follow=True,
    )

    assert "Marked as spam: an anonymous comment" in response.content.decode()
