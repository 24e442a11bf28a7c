"""The review screen: one pending comment at a time, its context, the buttons."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment, CommentSource, CommentStatus
from moderation.models import Action, Decision, PickLabel, RejectReason
from tests.factories import make_article, make_comment, make_user
from tests.moderation.desk import REVIEW_URL, aged, make_email_comment

S = CommentStatus
pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def shown_id(response) -> int | None:
    node = page(response).find(id="review-comment")
    return int(node["data-comment-id"]) if node else None


def decide(client, comment, action, query="", **data):
    url = f"{REVIEW_URL}?{query}" if query else REVIEW_URL
    return client.post(url, {"action": action, "comment": comment.pk, **data})


def test_review_screen_shows_oldest_pending_first_with_article_context(
    editor_client,
):
    article = make_article(title="Open weights", standfirst="What open means.")
    newer = aged(make_comment(article=article), 1)
    older = aged(make_comment(article=article, body="The oldest one speaks."), 5)

    response = editor_client.get(REVIEW_URL)

    assert shown_id(response) == older.pk != newer.pk
    soup = page(response)
    assert "The oldest one speaks." in soup.find(id="review-text").get_text()
    context = soup.find(id="review-article")
    assert context.find("a", href=article.get_absolute_url()).get_text() == (
        "Open weights"
    )
    assert "What open means." in context.get_text()
    assert soup.find(id="review-source").get_text() == "Web form"
    assert "Comment 1 of 2 waiting" in soup.find(id="review-position").get_text()


def test_review_screen_counts_a_long_queue_only_as_far_as_the_cap(
    editor_client, settings
):
    settings.MODERATION_QUEUE_COUNT_CAP = 5
    article = make_article()
    queue = [aged(make_comment(article=article), 20 - n) for n in range(8)]

    def position(comment) -> str:
        response = editor_client.get(REVIEW_URL, {"c": comment.pk})
        return " ".join(page(response).find(id="review-position").get_text().split())

    assert position(queue[2]) == "Comment 3 of more than 5 waiting"
    assert position(queue[7]) == "A comment past the first 5 of more than 5 waiting"
    settings.MODERATION_QUEUE_COUNT_CAP = 10
    assert position(queue[7]) == "Comment 8 of 8 waiting"


def test_review_screen_shows_spam_score_and_reasons(editor_client):
    comment = make_comment(body="see http://a.example http://b.example http://c.ex")
    Comment.objects.filter(pk=comment.pk).update(spam_score=4, spam_reasons=["3 links"])

    soup = page(editor_client.get(REVIEW_URL))

    spam = soup.find(id="review-spam")
    assert "Spam score 4" in spam.get_text()
    assert "3 links" in spam.get_text()


def test_publish_button_publishes_and_moves_to_next(editor_client, editor):
    first = aged(make_comment(), 3)
    second = aged(make_comment(), 2)

    response = decide(editor_client, first, "publish")

    assert response.status_code == 302
    assert parse_qs(urlsplit(response.url).query)["c"] == [str(second.pk)]
    assert shown_id(editor_client.get(response.url)) == second.pk
    first.refresh_from_db()
    assert first.status == S.PUBLISHED
    decision = Decision.objects.filter(comment=first).first()
    assert (decision.action, decision.editor) == (Action.PUBLISH, editor)


def test_feature_button_with_label_shows_pick_and_label_on_article(
    editor_client, client
):
    PickLabel.objects.create(name="dissent")
    comment = make_comment(body="I disagree, and here is why.")

    decide(editor_client, comment, "feature", label="dissent")

    comment.refresh_from_db()
    assert (comment.status, comment.featured, comment.pick_label) == (
        S.PUBLISHED,
        True,
        "dissent",
    )
    article_page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "Editor’s pick · dissent" in article_page


def test_reject_button_records_chosen_reason_and_note(editor_client):
    RejectReason.objects.create(text="off topic")
    comment = make_comment()

    decide(editor_client, comment, "reject", reason="off topic", note="about cats")

    comment.refresh_from_db()
    assert comment.status == S.REJECTED
    assert (
        Decision.objects.filter(comment=comment).first().note == "off topic; about cats"
    )


def test_a_label_or_reason_changed_in_the_admin_shows_on_the_next_screen(
    editor_client,
):
    make_comment()

    def menus() -> tuple[list[str], list[str]]:
        soup = page(editor_client.get(REVIEW_URL))
        labels = [o.get_text() for o in soup.select("select[name=label] option")]
        reasons = [o.get_text() for o in soup.select("select[name=reason] option")]
        return labels, reasons

    before = menus()  # the menus are read once and kept
    label = PickLabel.objects.create(name="expert view")
    reason = RejectReason.objects.create(text="personal attack")
    assert "expert view" in menus()[0] and "personal attack" in menus()[1]
    label.name = "from the field"
    label.save()
    reason.delete()

    labels, reasons = menus()
    assert "from the field" in labels and "expert view" not in labels
    assert "personal attack" not in reasons
    assert "expert view" not in before[0]


def test_spam_button_files_comment_as_spam(editor_client):
    comment = make_comment()

    decide(editor_client, comment, "spam")

    comment.refresh_from_db()
    assert comment.status == S.SPAM


def test_edit_button_publishes_editors_text_marked_edited_on_article(
    editor_client, client
):
    comment = make_comment(body="teh original txt")

    decide(editor_client, comment, "edit", text="The original text.")

    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED
    assert comment.body == "teh original txt"
    article_page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "The original text." in article_page
    assert "teh original txt" not in article_page
    assert "edited by the editors" in article_page


def test_unedited_comment_has_no_edited_mark_on_article(editor_client, client):
    comment = make_comment(body="Left exactly as written.")

    decide(editor_client, comment, "edit", text="Left exactly as written.")

    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED
    article_page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "edited by the editors" not in article_page


def test_publishing_unrouted_comment_is_refused_with_message(editor_client):
    comment = make_email_comment(article=None)

    response = decide(editor_client, comment, "publish")
    follow = editor_client.get(response.url)

    comment.refresh_from_db()
    assert comment.status == S.PENDING
    assert "Not done" in follow.content.decode()
    assert shown_id(follow) == comment.pk


def test_undo_restores_the_last_decision(editor_client):
    comment = make_comment(author_name="Mara", body="Weights without data, again.")
    decide(editor_client, comment, "reject")

    soup = page(editor_client.get(REVIEW_URL))
    assert "Rejected (Mara’s comment “Weights without data, again.”)" in soup.find(
        id="review-undo"
    ).get_text(" ")
    response = editor_client.post(REVIEW_URL, {"action": "undo"})

    comment.refresh_from_db()
    assert comment.status == S.PENDING
    assert shown_id(editor_client.get(response.url)) == comment.pk


def test_undo_of_publish_and_feature_returns_comment_to_queue(editor_client, client):
    comment = make_comment(body="A pick, briefly.")
    decide(editor_client, comment, "feature")

    editor_client.post(REVIEW_URL, {"action": "undo"})

    comment.refresh_from_db()
    assert (comment.status, comment.featured) == (S.PENDING, False)
    # A visitor's view (the editor's own client would carry the editor's messages).
    article_page = Client().get(comment.article.get_absolute_url()).content.decode()
    assert "A pick, briefly." not in article_page


def test_second_undo_goes_further_back_instead_of_redoing(editor_client):
    first = aged(make_comment(), 2)
    second = aged(make_comment(), 1)
    decide(editor_client, first, "publish")
    decide(editor_client, second, "feature")

    editor_client.post(REVIEW_URL, {"action": "undo"})
    editor_client.post(REVIEW_URL, {"action": "undo"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.PENDING, S.PENDING)
    assert not second.featured


def test_undo_ignores_other_editors_decisions(editor_client):
    mine = make_comment()
    decide(editor_client, mine, "publish")
    other = make_comment()
    other_client = type(editor_client)()
    from tests.factories import make_editor

    other_client.force_login(make_editor())
    decide(other_client, other, "spam")

    editor_client.post(REVIEW_URL, {"action": "undo"})

    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, other.status) == (S.PENDING, S.SPAM)


def test_filters_are_carried_through_every_link_and_form(editor_client):
    article = make_article()
    aged(make_comment(article=article), 5)  # web: filtered out
    mail_one = aged(make_email_comment(article=article), 4)
    mail_two = aged(make_email_comment(article=article), 3)
    query = f"article={article.pk}&source=email"

    response = editor_client.get(f"{REVIEW_URL}?{query}")

    assert shown_id(response) == mail_one.pk
    soup = page(response)
    targets = [f["action"] for f in soup.select("#review form[method=post]")]
    targets.append(soup.find(id="review-next")["href"])
    assert targets
    for target in targets:
        params = parse_qs(urlsplit(target).query)
        assert params["source"] == ["email"], target
        assert params["article"] == [str(article.pk)], target
    after = decide(editor_client, mail_one, "publish", query=query)
    assert parse_qs(urlsplit(after.url).query)["source"] == ["email"]
    assert shown_id(editor_client.get(after.url)) == mail_two.pk


def test_unrouted_filter_shows_only_unrouted_with_publish_disabled(editor_client):
    aged(make_comment(), 5)
    unrouted = aged(make_email_comment(article=None), 1)

    soup = page(editor_client.get(f"{REVIEW_URL}?unrouted=1"))

    assert int(soup.find(id="review-comment")["data-comment-id"]) == unrouted.pk
    assert soup.find(id="review-publish").has_attr("disabled")
    assert soup.find(id="review-feature").has_attr("disabled")
    assert not soup.find(id="review-reject").has_attr("disabled")


def test_next_and_previous_links_walk_the_queue(editor_client):
    first, second, third = (aged(make_comment(), h) for h in (3, 2, 1))

    soup = page(editor_client.get(f"{REVIEW_URL}?c={second.pk}"))
    previous_href = soup.find(id="review-prev")["href"]
    next_href = soup.find(id="review-next")["href"]

    assert shown_id(editor_client.get(REVIEW_URL + previous_href)) == first.pk
    assert shown_id(editor_client.get(REVIEW_URL + next_href)) == third.pk
    last = page(editor_client.get(f"{REVIEW_URL}?c={third.pk}"))
    assert last.find(id="review-next") is None


def test_decision_on_last_comment_wraps_to_skipped_ones(editor_client):
    first = aged(make_comment(), 2)
    second = aged(make_comment(), 1)

    response = decide(editor_client, second, "publish", query=f"c={second.pk}")

    assert shown_id(editor_client.get(response.url)) == first.pk


def test_empty_queue_says_nothing_waiting(editor_client):
    soup = page(editor_client.get(REVIEW_URL))

    assert "Nothing waiting" in soup.find(id="review-empty").get_text()


def test_commenter_history_spans_channels_with_decisions(editor_client, editor):
    older_mail = make_email_comment(author_email="Ada@Example.org")
    decide(editor_client, older_mail, "reject")
    same_ip = make_comment(ip_address="203.0.113.9", status=S.PUBLISHED)
    stranger = make_comment(author_email="bob@example.org")
    current = make_comment(author_email="ada@example.org", ip_address="203.0.113.9")

    soup = page(editor_client.get(f"{REVIEW_URL}?c={current.pk}"))

    history = soup.find(id="review-history")
    listed = {int(li["data-comment-id"]) for li in history.find_all("li")}
    assert listed == {older_mail.pk, same_ip.pk}
    assert stranger.pk not in listed and current.pk not in listed
    rejected = history.find("li", attrs={"data-comment-id": str(older_mail.pk)})
    assert "Rejected" in rejected.get_text()
    assert f"by {editor.username}" in rejected.get_text()


def test_email_comment_history_does_not_match_by_ip(editor_client):
    make_comment(ip_address="203.0.113.9")
    current = make_email_comment(author_email="", ip_address="203.0.113.9")

    soup = page(editor_client.get(f"{REVIEW_URL}?c={current.pk}"))

    assert soup.find(id="review-history").find_all("li") == []


def test_ip_history_older_than_retention_is_not_matched(editor_client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    aged(make_comment(ip_address="203.0.113.9"), 24 * 40)
    current = make_comment(ip_address="203.0.113.9")

    soup = page(editor_client.get(f"{REVIEW_URL}?c={current.pk}"))

    assert soup.find(id="review-history").find_all("li") == []


def test_email_comment_shows_trusted_authentication_verdict(editor_client):
    comment = make_email_comment(
        verdict={"spf": "pass", "dkim": "fail", "dmarc": "unknown"}
    )

    soup = page(editor_client.get(f"{REVIEW_URL}?c={comment.pk}"))

    verdicts = {
        dd["data-method"]: dd.get_text() for dd in soup.select("#review-auth dd")
    }
    assert verdicts == {"spf": "pass", "dkim": "fail", "dmarc": "not verified"}


def test_email_comment_without_recorded_verdict_shows_not_verified(editor_client):
    comment = make_email_comment(verdict={})

    soup = page(editor_client.get(f"{REVIEW_URL}?c={comment.pk}"))

    assert [dd.get_text() for dd in soup.select("#review-auth dd")] == [
        "not verified"
    ] * 3


def test_staff_without_comment_permission_gets_403(client):
    client.force_login(make_user(is_staff=True))
    make_comment()

    assert client.get(REVIEW_URL).status_code == 403
    assert client.post(REVIEW_URL, {"action": "undo"}).status_code == 403


def test_anonymous_visitor_is_sent_to_admin_login(client):
    response = client.get(REVIEW_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_every_key_has_a_visible_button_and_script_is_external(editor_client):
    make_comment()
    aged(make_comment(), 1)
    decide(editor_client, make_comment(), "publish")

    soup = page(editor_client.get(REVIEW_URL))

    keys = {node["data-key"]: node for node in soup.select("[data-key]")}
    # First: no previous; a form comment: no sender's name to offer ("a").
    assert set(keys) == {"j", "p", "f", "r", "s", "e", "w", "u"}
    for key, node in keys.items():
        assert node.find("kbd").get_text() == key
    scripts = soup.find_all("script")
    assert any(s.get("src", "").endswith("js/review.js") for s in scripts)
    assert all(s.get("src") for s in scripts), "inline script would break the CSP"
    handlers = [a for tag in soup.find_all(True) for a in tag.attrs if a[:2] == "on"]
    assert handlers == []


def test_admin_index_links_review_queue_with_pending_count(editor_client):
    make_comment()
    make_comment()

    soup = page(editor_client.get("/admin/"))

    link = soup.find(id="queue-summary").find("a", href=REVIEW_URL)
    assert link is not None
    assert link.find(class_="pending-badge").get_text() == "2"


def test_comment_list_links_to_review_screen(editor_client):
    soup = page(editor_client.get("/admin/comments/comment/"))

    assert soup.find(id="review-queue-link")["href"] == REVIEW_URL


def test_source_filter_alone_lists_only_that_channel(editor_client):
    aged(make_comment(source=CommentSource.WEB), 3)
    mail = aged(make_email_comment(), 1)

    assert shown_id(editor_client.get(f"{REVIEW_URL}?source=email")) == mail.pk


def test_undo_of_edit_and_publish_restores_text_and_queue(editor_client):
    comment = make_comment(body="teh txt")
    decide(editor_client, comment, "edit", text="The text.")

    editor_client.post(REVIEW_URL, {"action": "undo"})

    comment.refresh_from_db()
    assert (comment.status, comment.public_text) == (S.PENDING, "teh txt")


def test_commenter_history_shows_only_earlier_comments(editor_client):
    earlier = aged(make_comment(author_email="ada@example.org"), 5)
    current = aged(make_comment(author_email="ada@example.org"), 3)
    aged(make_comment(author_email="ada@example.org"), 1)  # a later one: not listed

    soup = page(editor_client.get(f"{REVIEW_URL}?c={current.pk}"))

    history = soup.find(id="review-history")
    listed = {int(li["data-comment-id"]) for li in history.find_all("li")}
    assert listed == {earlier.pk}


def test_commenter_history_says_whether_address_or_ip_matched(editor_client):
    by_address = aged(make_email_comment(author_email="Ada@Example.org"), 3)
    by_ip = aged(make_comment(ip_address="203.0.113.9"), 2)
    current = make_comment(author_email="ada@example.org", ip_address="203.0.113.9")

    soup = page(editor_client.get(f"{REVIEW_URL}?c={current.pk}"))

    history = soup.find(id="review-history")
    said = {
        int(li["data-comment-id"]): li.find(class_="history-match").get_text()
        for li in history.find_all("li")
    }
    assert said == {by_address.pk: "same email address", by_ip.pk: "same IP address"}


def test_decision_message_says_whose_comment_its_first_words_and_undo_key(
    editor_client,
):
    comment = make_comment(
        author_name="Mara",
        body="Weights without the training data are like a .so without headers.",
    )

    response = decide(editor_client, comment, "publish")

    text = page(editor_client.get(response.url)).find(class_="messagelist").get_text()
    assert text.strip() == (
        "Published: Mara’s comment “Weights without the training data are…”. "
        "Press u to undo."
    )


def test_emailed_anonymous_comment_is_named_by_its_address(editor_client):
    comment = make_email_comment(author_email="jane@example.org")

    response = decide(editor_client, comment, "spam")

    text = page(editor_client.get(response.url)).find(class_="messagelist").get_text()
    assert text.strip().startswith(
        "Marked as spam: the comment from jane@example.org “A "
    )


def test_key_sheet_lists_every_key_with_escape_and_picker_steps(editor_client):
    make_comment()

    sheet = page(editor_client.get(REVIEW_URL)).find(id="review-keysheet")

    keys = {kbd.get_text() for kbd in sheet.find_all("kbd")}
    assert {"j", "k", "p", "f", "l", "n", "r", "s", "e", "u", "Esc"} <= keys
    assert "choose a pick label, leave the list, publish and feature" in (
        sheet.get_text()
    )


def test_review_screen_shows_code_and_links_as_visitors_will(editor_client):
    make_comment(
        body="Try:\n\n```\nif a < b:\n    go()\n```\n\nsee https://example.org"
    )

    text = page(editor_client.get(REVIEW_URL)).find(id="review-text")

    assert text.find("pre").get_text() == "if a < b:\n    go()\n"
    assert text.find("a")["href"] == "https://example.org"


@pytest.mark.parametrize(
    "query",
    [
        "article=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "article=99999999999999999999",  # more than a 64-bit column holds
        "c=%C2%B2",
        "c=99999999999999999999",
        "article=-3&c=0",
        "c=1e3&source=%00",
    ],
)
def test_malformed_query_parameter_is_ignored_not_a_500(editor_client, query):
    oldest = aged(make_comment(), 2)

    response = editor_client.get(f"{REVIEW_URL}?{query}")

    assert shown_id(response) == oldest.pk


def test_decision_on_an_impossible_comment_id_is_refused_plainly(editor_client):
    waiting = make_comment()

    response = editor_client.post(
        REVIEW_URL,
        {"action": "publish", "comment": "99999999999999999999"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Which comment?" in page(response).find(class_="messagelist").get_text()
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING
