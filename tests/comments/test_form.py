from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import set_script_prefix
from django.utils import timezone

from comments.models import Comment, CommentStatus
from tests.conftest import away_from_a_window_edge
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _post(client, article, **fields):
    data = {
        "name": "",
        "email": "",
        "body": "A considered reply to the article.",
        "elapsed": "60.0",  # what the page's script sends after a minute
    }
    data.update(fields)
    return client.post(f"/articles/{article.slug}/comment/", data)


def test_valid_post_lands_on_the_readers_own_comment_waiting(client):
    article = make_article()

    response = _post(client, article, name="Ada", body="Spot on about weights.")

    assert response.status_code == 303
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert "Spot on about weights." in html and "Ada" in html
    assert "waiting for an editor" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert "Spot on about weights." not in client.get(article.get_absolute_url()).text
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.author_name == "Ada"


def test_site_under_a_path_prefix_redirects_back_under_it(client):
    # A blog served at example.org/blog/: the WSGI handler sets the prefix from
    # SCRIPT_NAME (the test client doesn't). The redirect after a post keeps it,
    # and the same site without it gets its own paths.
    article = make_article(slug="prefixed")

    set_script_prefix("/blog/")
    try:
        under = _post(client, article)
    finally:
        set_script_prefix("/")
    bare = _post(client, article, body="Another reply, not a repeat.")

    assert under["Location"].startswith("/blog/comments/sent/")
    assert bare["Location"].startswith("/comments/sent/")


def test_empty_name_is_stored_as_anonymous(client):
    article = make_article()

    _post(client, article, name="   ")

    assert Comment.objects.get().author_name == "Anonymous"


def test_form_error_keeps_what_the_reader_typed(client):
    article = make_article()

    response = _post(
        client,
        article,
        name="Grace Hopper",
        email="not-an-address",
        body="My long and careful text.",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Grace Hopper"' in html
    assert "My long and careful text.</textarea>" in html
    assert Comment.objects.count() == 0


def test_empty_comment_is_refused_with_a_message(client):
    response = _post(client, make_article(), name="Grace", body="   ")

    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()


def test_notify_without_email_asks_for_an_address(client):
    response = _post(client, make_article(), notify="on")

    assert "Give an email address" in response.content.decode()


def test_closed_article_shows_closed_and_refuses_posts(client):
    article = make_article(comments_open=False)

    page = client.get(article.get_absolute_url()).content.decode()
    response = _post(client, article)

    assert "Comments are closed" in page and "<textarea" not in page
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_closing_comments_refuses_the_very_next_post(client):
    article = make_article()
    assert _post(client, article, body="Before closing.").status_code == 303

    article.comments_open = False
    article.save()
    response = _post(client, article, body="After closing.")

    assert response.status_code == 403
    assert list(Comment.objects.values_list("body", flat=True)) == ["Before closing."]


def test_a_post_reads_the_article_afresh_not_the_workers_copy(client):
    """Closed by a write no worker was told of (no generation move: another
    tool, psql): the page may show the form for up to ROW_SECONDS, but a post
    reads the row itself, and is refused at once."""
    article = make_article()
    client.get(article.get_absolute_url())  # this worker keeps the article's row
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_article SET comments_open = %s WHERE id = %s",
            [False, article.pk],
        )

    response = _post(client, article, body="Sent after the quiet close.")

    assert response.status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("valid", [True, False], ids=["valid form", "form error"])
@pytest.mark.parametrize(
    "published_at",
    [None, timezone.now() + timedelta(days=1)],
    ids=["draft", "scheduled"],
)
def test_posting_to_an_unpublished_article_is_not_found(client, valid, published_at):
    article = make_article(published_at=published_at)

    response = _post(client, article, body="A reply." if valid else "")

    assert response.status_code == 404
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("body", ["A reply.", ""], ids=["valid form", "form error"])
def test_posting_to_no_such_article_is_not_found(client, body):
    response = client.post("/articles/no-such-thing/comment/", {"body": body})

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_filled_honeypot_stores_comment_as_spam(client):
    _post(client, make_article(), website="http://buy.example")

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.SPAM
    assert any("hidden field" in r for r in comment.spam_reasons)


def test_too_fast_post_alone_is_flagged_but_stays_pending(client):
    _post(client, make_article(), elapsed="0.8")

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert "Sent 0.8 s after the page loaded." in comment.spam_reasons


@pytest.mark.parametrize("elapsed", ["", "soon", "-3", "nan", "inf"])
def test_post_without_a_usable_timing_is_not_held_against_the_reader(client, elapsed):
    # No JavaScript (empty), or a value no browser's script would send.
    _post(client, make_article(), elapsed=elapsed)

    comment = Comment.objects.get()
    assert comment.spam_score == 0 and comment.spam_reasons == []


def test_form_left_open_for_a_week_is_not_too_fast(client):
    _post(client, make_article(), elapsed=str(8 * 24 * 3600.0))

    assert Comment.objects.get().spam_score == 0


def test_rate_limit_answers_429_and_keeps_the_text(client, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    away_from_a_window_edge(60, "127.0.0.1")  # the test client's address
    article = make_article()
    _post(client, article, body="first comment here")
    _post(client, article, body="second comment here")

    response = _post(client, article, body="third comment, kept safe")

    assert response.status_code == 429
    html = response.content.decode()
    assert "wait a minute" in html and "third comment, kept safe" in html
    assert Comment.objects.count() == 2


def test_form_states_the_length_limit(client):
    html = client.get(make_article().get_absolute_url()).content.decode()

    assert "up to 10,000 characters" in html


def test_comment_box_does_not_cut_long_text(client):
    # A maxlength made the browser drop what was pasted past it, silently.
    soup = BeautifulSoup(client.get(make_article().get_absolute_url()).text, "html5lib")

    box = soup.find("textarea", attrs={"name": "body"})
    assert not box.has_attr("maxlength")
    assert box["data-max-length"] == "10000"


def test_refused_long_comment_keeps_every_character_and_says_by_how_much(client):
    text = "A long thought. " * 700 + "The end."  # 11,208 characters

    response = _post(client, make_article(), body=text)

    assert response.status_code == 400
    soup = BeautifulSoup(response.text, "html5lib")
    kept = soup.find("textarea", attrs={"name": "body"}).get_text()
    assert kept.strip() == text.strip()
    assert "yours has 11,208. Please shorten it by 1,208." in response.text
    assert "your text is kept" in response.text
    assert not Comment.objects.exists()


def test_refusal_says_text_is_kept_only_when_there_was_text(client):
    article = make_article()

    empty = _post(client, article, body="", email="not an address")
    typed = _post(client, article, body="Some words.", email="not an address")

    assert empty.status_code == typed.status_code == 400
    assert "text is kept" not in empty.text
    assert "Please fix what is marked below." in empty.text
    assert "Please fix what is marked below; your text is kept." in typed.text


def test_article_page_explains_the_email_route_beside_the_address(client):
    article = make_article(slug="open-weights")

    soup = BeautifulSoup(client.get(article.get_absolute_url()).text, "html5lib")

    write_to = soup.find(id="write-to")
    text = " ".join(write_to.get_text(" ").split())
    assert "appears as “Anonymous” unless an editor adds a name" in text
    assert "No receipt or automatic answer comes back" in text
    link = write_to.find("a", class_="address")
    assert link["href"].startswith("mailto:tech.handrail404+open-weights@")
    assert link.get_text() == "tech.handrail404+open-weights@passinbox.com"
    # Break points only after "+" and before "@"; each piece never breaks inside.
    pieces = [span.get_text() for span in link.find_all("span", class_="nobr")]
    assert pieces == ["tech.handrail404+", "open-weights", "@passinbox.com"]
    assert len(link.find_all("wbr")) == 2
    copy = write_to.find("button", class_="copy-address")
    assert copy.has_attr("hidden")  # until the script shows it: it needs JavaScript
    assert copy["data-copy"] == "tech.handrail404+open-weights@passinbox.com"


def test_rate_limit_page_names_the_article_and_links_back_to_it(client, settings):
    settings.COMMENT_RATE_LIMIT = "1/m"
    article = make_article(title="Open Weights Are Binaries")
    _post(client, article, body="first comment here")

    response = _post(client, article, body="second, too soon")

    soup = BeautifulSoup(response.text, "html5lib")
    assert "Open Weights Are Binaries" in soup.h1.get_text()
    back = soup.find("a", string="Back to the article")
    assert back["href"] == f"{article.get_absolute_url()}#comments"


def test_refusal_keeps_the_article_and_sums_up_the_errors_with_links(client):
    article = make_article(title="Open Weights Are Binaries")

    response = _post(client, article, name="Ada", body="", email="not an address")

    soup = BeautifulSoup(response.text, "html5lib")
    assert "Open Weights Are Binaries" in soup.h1.get_text()
    assert soup.title.get_text().startswith("Error: ")
    summary = soup.select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert links == {
        "#id_email": "Email: Enter a valid email address.",
        "#id_body": "Comment: Please write a comment.",
    }
    assert soup.find("input", attrs={"name": "name"})["value"] == "Ada"
