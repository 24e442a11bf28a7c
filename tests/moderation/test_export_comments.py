"""export_comments: WXR 1.2 that WordPress and Disqus import, and we import back."""

from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from blog.models import Article
from comments.models import Comment, CommentSource, CommentStatus
from comments.validation import clean_body
from moderation.models import Decision
from tests.factories import make_article, make_comment
from tests.moderation.transfer import (
    ISSO_WP,
    run_export,
    run_import,
    wxr,
    wxr_comment,
    wxr_item,
)

WP = "{http://wordpress.org/export/1.2/}"


def exported(path) -> list[dict]:
    root = ElementTree.parse(path).getroot()
    rows = []
    for item in root.iter("item"):
        for comment in item.iter(f"{WP}comment"):
            row = {child.tag.replace(WP, ""): child.text or "" for child in comment}
            row["post_name"] = item.findtext(f"{WP}post_name")
            rows.append(row)
    return rows


@pytest.fixture
def blog(db):
    article = make_article(slug="open-weights", title="Open weights")
    make_article(slug="draft", published_at=None)
    published = make_comment(
        article=article,
        status=CommentStatus.PUBLISHED,
        author_name="Ann & Bob",
        author_email="ann@example.org",
        body="Line one\n\nSee https://example.org/x?a=1&b=2 and <b>this</b>.",
    )
    make_comment(article=article, body="Waiting.", author_email="w@example.org")
    make_comment(article=article, status=CommentStatus.SPAM, body="Buy now.")
    make_comment(article=article, status=CommentStatus.REJECTED, body="Off topic.")
    make_comment(article=None, body="Unrouted email comment.")
    return {"article": article, "published": published}


@pytest.mark.django_db
def test_export_holds_every_article_and_only_published_comments(blog, tmp_path):
    path = tmp_path / "out.xml"

    out = run_export(path)

    rows = exported(path)
    assert [r["comment_approved"] for r in rows] == ["1"]
    assert rows[0]["comment_author"] == "Ann &amp; Bob"  # as WordPress keeps names
    assert rows[0]["comment_author_email"] == ""
    assert rows[0]["post_name"] == "open-weights"
    root = ElementTree.parse(path).getroot()
    assert root.findtext(f"channel/{WP}wxr_version") == "1.2"
    assert {i.findtext(f"{WP}status") for i in root.iter("item")} == {
        "publish",
        "draft",
    }
    assert "2 articles, 1 comments" in out


@pytest.mark.django_db
def test_export_all_writes_wordpress_approval_values(blog, tmp_path):
    path = tmp_path / "out.xml"

    out = run_export(path, "--all")

    assert sorted(r["comment_approved"] for r in exported(path)) == [
        "0",
        "1",
        "spam",
        "trash",
    ]
    assert "1 not yet routed to an article, not exported" in out


@pytest.mark.django_db
def test_export_includes_emails_only_when_asked(blog, tmp_path):
    path = tmp_path / "out.xml"

    run_export(path, "--all")
    assert {r["comment_author_email"] for r in exported(path)} == {""}

    run_export(path, "--all", "--with-emails")

    emails = {r["comment_author_email"] for r in exported(path)}
    assert {"ann@example.org", "w@example.org"} <= emails


def published_snapshot() -> set[tuple]:
    """What a visitor sees of every published comment: article, name, text, date
    (WXR dates are to the second), and whom it answers."""
    rows = set()
    for c in Comment.objects.published().select_related("article", "in_reply_to"):
        parent = c.in_reply_to
        rows.add(
            (
                c.article.slug,
                c.author_name,
                c.public_text,
                c.published_at.replace(microsecond=0),
                (parent.author_name, parent.public_text) if parent else None,
            )
        )
    return rows


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_gives_the_same_comments(
    blog, tmp_path
):
    make_article(slug="test")
    run_import(ISSO_WP)  # replies and old dates
    edited = make_comment(article=blog["article"], status=CommentStatus.PUBLISHED)
    from moderation.transitions import edit_comment

    edit_comment(comment=edited, editor=None, text="The editors' version.")
    before = published_snapshot()
    assert len(before) == 9
    path = tmp_path / "out.xml"
    run_export(path)
    Decision.objects.all().delete()
    Comment.objects.all().delete()
    Article.objects.all().delete()

    run_import(path, "--create-articles")

    assert published_snapshot() == before
    assert Comment.objects.exclude(in_reply_to=None).count() == 3
    assert Article.objects.get(slug="open-weights").published_comment_count == 2


CODE = (
    "Try this:\n\n```python\ndef f(x):\n    if x:\n        return  x  *  2\n```\n\n"
    "Two  spaces  here,\ttabs\tthere,\n    an indented line, and <b>tags</b> &amp;."
)


def round_trip(texts: list[str], tmp_path) -> list[str]:
    """Publish each text as a form comment, export, import the file back into the
    same site, and return the imported comments' texts in order."""
    article = make_article(slug="round-trip")
    for text in texts:
        make_comment(article=article, status=CommentStatus.PUBLISHED, body=text)
    path = tmp_path / "out.xml"
    run_export(path)
    run_import(path)
    imported = Comment.objects.filter(source=CommentSource.IMPORT).order_by("pk")
    return [c.body for c in imported]


@pytest.mark.django_db
def test_export_then_import_keeps_code_and_spacing_character_for_character(tmp_path):
    texts = [
        CODE,
        "    indented first line\n\n\n\nthree blank lines above",
        "Ünïcödé: 日本語, emoji 👩‍💻, Persian می‌خواهم, a b c　d",
        "a < b && c > d; <script>alert(1)</script> ]]> &lt; &#39;",
    ]

    assert round_trip(texts, tmp_path) == texts


# What a reader can type: any character but controls, with every whitespace shape.
_WHITESPACE = " \t\n\r\u00a0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000"
_TYPED = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
        | st.sampled_from(_WHITESPACE),
        max_size=40,
    )
    | st.sampled_from(["```\n", "\n    ", "\n\t\t", "<b>", "&amp;", "]]>", "\r\n"]),
    max_size=10,
).map("".join)


def _as_the_form_stores(text: str) -> str:
    try:
        return clean_body(text)
    except ValidationError:
        assume(False)
        raise


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(_TYPED.map(_as_the_form_stores), min_size=1, max_size=4))
def test_export_then_import_keeps_any_typed_text(texts, tmp_path):
    with transaction.atomic():
        assert round_trip(texts, tmp_path) == texts
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_dates_at_either_end_of_the_calendar_show_and_travel_back(
    tmp_path, editor_client
):
    article = make_article(slug="ends")
    path = tmp_path / "ends.xml"
    path.write_text(
        wxr(
            wxr_item(
                "ends",
                wxr_comment(1, content="The first day.", date="0001-01-01 00:00:00"),
                wxr_comment(2, content="The last second.", date="9999-12-31 23:59:59"),
            )
        )
    )
    run_import(path)

    for url in (
        article.get_absolute_url(),
        f"/articles/{article.slug}/comments/feed/",
        "/admin/comments/comment/",
        "/admin/comments/comment/?status__exact=published",
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "The first day." in page and "The last second." in page

    out = tmp_path / "out.xml"
    run_export(out)
    assert {r["comment_date_gmt"] for r in exported(out)} == {
        "0001-01-01 00:00:00",
        "9999-12-31 23:59:59",
    }
    Decision.objects.all().delete()
    Comment.objects.all().delete()

    run_import(out)

    assert sorted(
        (c.published_at.year, c.body) for c in Comment.objects.published()
    ) == [(1, "The first day."), (9999, "The last second.")]


@pytest.mark.django_db
def test_standfirst_with_angle_brackets_comes_back_as_written(tmp_path):
    make_article(slug="stdio", standfirst="Why a<b and <stdio.h> & co matter")
    path = tmp_path / "out.xml"
    run_export(path)
    Article.objects.all().delete()

    run_import(path, "--create-articles")

    assert Article.objects.get(slug="stdio").standfirst == (
        "Why a<b and <stdio.h> & co matter"
    )
