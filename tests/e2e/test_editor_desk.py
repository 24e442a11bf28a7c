"""The editor's desk in a real browser (issue 7, "How it will be checked").

An editor clears a mixed queue of web and emailed comments with the keyboard alone,
undoes a decision, features two with labels and orders them; a visitor sees exactly
that. The notice email's links: a mail scanner's GET changes nothing; a reused or
expired link is refused with a clear page.
"""

import time
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from comments.intake import submit_comment
from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment, CommentSource, CommentStatus
from moderation import links
from moderation.models import Decision, PickLabel, UsedLink
from tests.e2e.conftest import shot
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
REVIEW = "/admin/comments/comment/review/"


# --- data, through the product's own intake -----------------------------------------


def _raw_email(*, article_slug: str, n: int, name: str, text: str) -> bytes:
    local, _, domain = settings.COMMENTS_EMAIL_ADDRESS.partition("@")
    msg = EmailMessage()
    msg["From"] = f"{name} <reader{n}@example.net>"
    msg["To"] = f"{local}+{article_slug}@{domain}"
    msg["Subject"] = f"Re: {article_slug}"
    msg["Message-ID"] = f"<desk-{n}@example.net>"
    msg.set_content(text)
    return msg.as_bytes()


def _email_comment(*, article: object, n: int, name: str, text: str) -> Comment:
    """An emailed comment, through the real pipeline (what the MTA pipe calls)."""
    raw = _raw_email(article_slug=article.slug, n=n, name=name, text=text)
    result = ingest_raw_email(raw)
    assert result.comment, result.summary()
    return Comment.objects.get(pk=result.comment)


# The queue, oldest first, and what the editor decides for each one.
# (article, source, decision); f:<label> = publish and feature with that label.
PLAN = [
    ("A", "web", "p"),
    ("A", "email", "f:first-hand experience"),
    ("B", "web", "r"),
    ("A", "web", "p"),
    ("B", "email", "p"),
    ("A", "web", "s"),
    ("A", "email", "f:dissent"),
    ("B", "web", "p"),
    ("A", "web", "r"),
    ("B", "email", "e"),
    ("A", "web", "p"),
    ("B", "web", "s"),
    ("A", "email", "p"),  # first rejected by mistake, undone with u, then published
    ("B", "web", "r"),
    ("A", "web", "p"),
    ("B", "email", "p"),
    ("A", "web", "r"),
    ("B", "web", "p"),
    ("A", "email", "p"),
    ("B", "web", "s"),
]
MISTAKE = 12
EDITED_TEXT = "Benchmarks measure the harness as much as the model (shortened)."


def _mixed_queue(articles: dict) -> list[Comment]:
    queue = []
    for n, (key, source, _) in enumerate(PLAN):
        name = f"Reader {n:02d}"
        text = f"Comment {n:02d} on {key} by {source}: a point worth weighing."
        if source == "email":
            comment = _email_comment(article=articles[key], n=n, name=name, text=text)
        else:
            comment = submit_comment(
                article=articles[key],
                source=CommentSource.WEB,
                body=text,
                author_name=name,
                ip_address=f"192.0.2.{n + 1}",
            )
        queue.append(comment)
    return queue


# --- the browser --------------------------------------------------------------------


def _sign_in(page: object, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")


def _editor(username: str = "ed") -> object:
    editor = make_editor(username=username, email=f"{username}@example.org")
    editor.set_password(PASSWORD)
    editor.save()
    return editor


def _current(page: object) -> int:
    return int(page.locator("#review-comment").get_attribute("data-comment-id"))


def _message(page: object) -> str:
    return page.locator("ul.messagelist li").inner_text()


def _key(page: object, key: str) -> None:
    """One key that makes the page change (a decision, or j/k)."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_clear_queue_with_keyboard(page, live_server):
    base = live_server.url
    articles = {
        "A": make_article(title="Open Weights Are Binaries", slug="open-weights"),
        "B": make_article(title="Benchmarks Lie", slug="benchmarks-lie"),
    }
    for position, name in enumerate(
        ["dissent", "expert view", "first-hand experience"]
    ):
        PickLabel.objects.create(name=name, position=position)
    queue = _mixed_queue(articles)
    ids = [c.pk for c in queue]
    assert Comment.objects.awaiting_review().count() == 20
    assert {c.source for c in queue} == {CommentSource.WEB, CommentSource.EMAIL}
    _editor()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
    )

    _sign_in(page, base, "ed", REVIEW)
    policy = page.request.get(base + REVIEW).headers["content-security-policy"]
    script_src = policy.split("script-src")[1].split(";")[0]
    assert "'self'" in script_src and "unsafe" not in script_src
    assert page.locator("script:not([src])").count() == 0  # nothing for CSP to block
    assert page.locator("#review-position").inner_text().startswith("Comment 1 of 20")
    assert _current(page) == ids[0]
    shot(page, "desk-01-queue-opened")

    # From here on, keys only. Skip the first (j), feature the second, come back (k).
    _key(page, "j")
    assert _current(page) == ids[1]

    def decide(index: int) -> None:
        assert _current(page) == ids[index]
        source = page.locator("#review-comment").get_attribute("data-source")
        assert source == PLAN[index][1]
        if source == CommentSource.EMAIL:  # the sender's verdict, for judging it
            assert page.locator("#review-auth").is_visible()
        plan = PLAN[index][2]
        if plan.startswith("f:"):
            label = plan[2:]
            page.keyboard.press("l")  # review.js: focus the pick-label list
            page.keyboard.type(label[0])  # type-ahead in the focused select
            assert page.locator("select[name=label]").input_value() == label
            page.keyboard.press("Escape")  # review.js: leave the field, keys work
            _key(page, "f")
        elif plan == "e":
            page.keyboard.press("e")  # opens the editor, focus in the text
            page.keyboard.press("Control+A")
            page.keyboard.type(EDITED_TEXT)
            shot(page, "desk-04-editing")
            _key(page, "Control+Enter")
        else:
            _key(page, plan)

    decide(1)
    shot(page, "desk-02-featured-with-label")
    assert _current(page) == ids[2]
    _key(page, "k")  # previous still waiting: the skipped first one
    assert _current(page) == ids[0]
    decide(0)
    assert _current(page) == ids[2]

    for index in range(2, 20):
        if index == MISTAKE:
            _key(page, "r")  # the wrong key
            # Whose comment and its first words, and the key that undoes it.
            which = f"the comment from reader{index}@example.net “Comment {index}"
            assert _message(page).startswith(f"Rejected: {which} on A by email: a")
            assert _message(page).endswith("”. Press u to undo.")
            undo = page.locator("#review-undo")
            assert undo.get_attribute("data-undo").startswith(f"Rejected ({which}")
            assert Comment.objects.get(pk=ids[index]).status == CommentStatus.REJECTED
            _key(page, "u")
            assert _message(page).startswith(f"Undone: Rejected ({which} on A")
            assert _current(page) == ids[index]
            assert Comment.objects.get(pk=ids[index]).status == CommentStatus.PENDING
            shot(page, "desk-03-undone")
        decide(index)
        if index == 9:
            shot(page, "desk-05-after-edit")

    page.locator("#review-empty").wait_for()
    assert "Nothing waiting" in page.locator("#review-empty").inner_text()
    shot(page, "desk-06-queue-cleared")
    assert Comment.objects.awaiting_review().count() == 0
    # review.js ran under the policy all along, and the policy did bite: an inline
    # script is refused (and reported, so the listener would have seen ours).
    assert csp_errors == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.inlineRan") is None
    assert any("inline script" in e for e in csp_errors)

    # The picks page: the dissent goes above the first-hand account.
    first, second = ids[1], ids[6]
    page.goto(f"{base}/admin/comments/comment/picks/{articles['A'].pk}/")
    rows = page.locator("#picks tbody tr")
    assert [r.get_attribute("data-comment-id") for r in rows.all()] == [
        str(first),
        str(second),
    ]
    shot(page, "desk-07-picks-before")
    rows.nth(1).get_by_role("button", name="↑ Up").click()
    page.locator(
        f'#picks tbody tr[data-position="1"][data-comment-id="{second}"]'
    ).wait_for()
    shot(page, "desk-08-picks-reordered")

    # A visitor sees exactly that.
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(base + articles["A"].get_absolute_url())
    shot(visitor, "desk-09-article-a")
    items = visitor.locator(".comment-list > li")
    shown = [int(i.get_attribute("id").removeprefix("c")) for i in items.all()]
    published_a = [ids[i] for i in (0, 3, 10, MISTAKE, 14, 18)]  # publication order
    assert shown == [second, first, *published_a]
    assert (
        items.nth(0).locator(".pick-mark").text_content() == "Editor’s pick · dissent"
    )
    assert (
        items.nth(1).locator(".pick-mark").text_content()
        == "Editor’s pick · first-hand experience"
    )
    assert visitor.locator(".pick-mark").count() == 2
    page_text = visitor.locator("#comments").inner_text()
    for index in (5, 8, 16):  # spam, rejected, rejected
        assert f"Comment {index:02d} on A" not in page_text

    visitor.goto(base + articles["B"].get_absolute_url())
    shot(visitor, "desk-10-article-b")
    shown_b = [
        int(i.get_attribute("id").removeprefix("c"))
        for i in visitor.locator(".comment-list > li").all()
    ]
    assert shown_b == [ids[i] for i in (4, 7, 9, 15, 17)]
    edited = visitor.locator(f"#c{ids[9]}")
    assert EDITED_TEXT in edited.inner_text()
    assert "edited by the editors" in edited.inner_text()
    visitor.context.close()


def test_mail_scanner_get_changes_nothing(page, live_server):
    editor = _editor()
    article = make_article(title="Scanned Links", slug="scanned-links")
    comment = submit_comment(
        article=article, source=CommentSource.WEB, body="Please do not auto-publish."
    )
    token = links.make_token(
        comment_id=comment.pk, action="publish", editor_id=editor.pk
    )
    url = live_server.url + reverse("moderation:link", kwargs={"token": token})

    # A scanner fetching the link (no browser, no cookies): a page, no action.
    scanned = page.request.get(url)
    assert scanned.status == 200
    assert "Opening this link changes nothing" in scanned.text()
    assert page.request.head(url).status == 200

    # A link previewer that renders it in a browser, not signed in.
    response = page.goto(url)
    assert response.status == 200
    assert page.get_by_role("heading", name="Publish this comment?").is_visible()
    assert page.locator("#link-confirm-button").count() == 0
    sign_in = page.locator("#link-sign-in")
    assert sign_in.is_visible() and "sign in as an editor" in sign_in.inner_text()
    shot(page, "desk-11-link-not-signed-in")
    page.goto(live_server.url + sign_in.get_attribute("href"))  # it follows that too

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert not Decision.objects.filter(comment=comment).exists()
    assert not UsedLink.objects.exists()


def test_reused_or_expired_link_refused(page, live_server, monkeypatch):
    editor = _editor()
    article = make_article(title="Links Work Once", slug="links-work-once")
    comment = submit_comment(
        article=article, source=CommentSource.WEB, body="Worth publishing, once."
    )
    token = links.make_token(
        comment_id=comment.pk, action="publish", editor_id=editor.pk
    )
    path = reverse("moderation:link", kwargs={"token": token})

    # The editor follows the link, signs in, comes back and confirms.
    page.goto(live_server.url + path)
    page.locator("#link-sign-in").click()
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}")
    second_tab = page.context.new_page()
    second_tab.goto(live_server.url + path)  # the same email opened twice
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("heading", name="Done: publish").wait_for()
    shot(page, "desk-12-link-confirmed")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert Decision.objects.filter(comment=comment, editor=editor).exists()

    # Opening it again: refused, and says so.
    response = page.goto(live_server.url + path)
    assert response.status == 410
    assert page.get_by_role(
        "heading", name="This link has already been used"
    ).is_visible()
    assert "Nothing was changed" in page.locator("#link-result").inner_text()
    shot(page, "desk-13-link-reused")
    # Confirming from the tab opened before: refused too, nothing recorded twice.
    with second_tab.expect_navigation() as nav:
        second_tab.get_by_role("button", name="Publish").click()
    assert nav.value.status == 410
    assert second_tab.get_by_role("heading", name="already been used").is_visible()
    assert Decision.objects.filter(comment=comment).count() == 1
    second_tab.close()

    # A link from a notice sent eight days ago (signing stamps the time it signs).
    other = submit_comment(
        article=article, source=CommentSource.WEB, body="Waited too long for this."
    )
    signed_at = time.time() - links.SIGNED_IN_MAX_AGE.total_seconds() - 86_400
    with monkeypatch.context() as m:
        m.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(int(signed_at)),
        )
        old = links.make_token(
            comment_id=other.pk, action="publish", editor_id=editor.pk
        )
    response = page.goto(live_server.url + reverse("moderation:link", args=[old]))
    assert response.status == 410
    assert page.get_by_role("heading", name="This link has expired").is_visible()
    assert "Nothing was changed" in page.locator("#link-result").inner_text()
    assert page.locator("#link-confirm-button").count() == 0
    shot(page, "desk-14-link-expired")
    other.refresh_from_db()
    assert other.status == CommentStatus.PENDING
