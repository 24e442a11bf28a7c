"""import_comments on the real exports of tests/data/import (SOURCES.md).

The expected counts were read off the files themselves: see each test's comment.
"""

import re
from datetime import datetime, timezone

import pytest

from blog.models import Article
from comments.models import Comment, CommentSource, CommentStatus
from moderation.models import Action, Decision
from tests.factories import make_article
from tests.moderation.transfer import (
    ISSO_DISQUS,
    ISSO_WP,
    THEME,
    run_import,
    wxr,
    wxr_comment,
    wxr_item,
)

UTC = timezone.utc


def by_status(**filters: object) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Comment.objects.filter(**filters).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def write_map(tmp_path, *lines: str):
    path = tmp_path / "links.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.mark.django_db
def test_theme_unit_test_with_create_articles_imports_every_comment_it_holds():
    # The file: 33 comments in 7 items. 4 are pings (2 pingbacks, 2 trackbacks);
    # of the other 29, 3 have comment_approved 0 (1015, 1016, 1017), 26 have 1.
    # Replies: 905..915 answer each other (9) and 1017 answers 168: 10.
    # Posts: 58 (51 + 4 published, the password-protected one, a draft, a
    # scheduled one); pages: 21, of which 2 carry comments.
    out = run_import(THEME, "--create-articles")

    assert by_status() == {CommentStatus.PUBLISHED: 26, CommentStatus.PENDING: 3}
    assert Comment.objects.exclude(in_reply_to=None).count() == 10
    assert Article.objects.count() == 60
    assert "26 published, 3 pending, 0 spam" in out
    assert "4 pingback/trackback" in out
    assert "articles created: 60" in out


@pytest.mark.django_db
def test_theme_unit_test_keeps_names_dates_and_replies():
    run_import(THEME, "--create-articles")

    depth_02 = Comment.objects.get(body="Comment Depth 02")
    assert depth_02.author_name == "Jane Bloggs"
    assert depth_02.in_reply_to.body == "Comment Depth 01"
    assert depth_02.in_reply_to.author_name == "John Κώστας Doe Τάδε"
    assert depth_02.submitted_at == datetime(2013, 3, 14, 15, 1, 21, tzinfo=UTC)
    assert depth_02.published_at == depth_02.submitted_at
    assert depth_02.source == CommentSource.IMPORT
    assert depth_02.article.slug == "template-comments"


@pytest.mark.django_db
def test_theme_unit_test_html_bodies_become_plain_text():
    run_import(THEME, "--create-articles")

    # 881: "<strong>Headings</strong>\n<h1>Header one</h1>..."; 917 an <img>.
    headings = Comment.objects.get(author_name="John Γιάννης Doe Κάποιος")
    assert headings.body.startswith("Headings\n\nHeader one\n\nHeader two")
    assert "<strong>" not in headings.body
    assert "<h1>" not in headings.body_html
    # Its text names a tag as an entity ("The HTML &lt;blockquote&gt; Element"):
    # text, shown escaped.
    assert "The HTML <blockquote> Element" in headings.body
    assert "The HTML &lt;blockquote&gt; Element" in headings.body_html
    image = Comment.objects.get(body__startswith="Image comment.")
    assert "<img" not in image.body
    assert "<img" not in image.body_html


@pytest.mark.django_db
def test_theme_unit_test_private_posts_become_drafts():
    run_import(THEME, "--create-articles")

    # template-password-protected has a post_password; "Draft" is a draft;
    # "scheduled" is dated 2030.
    public = Article.objects.published()
    assert not public.filter(slug="template-password-protected").exists()
    assert Article.objects.get(title="Draft").published_at is None
    scheduled = Article.objects.get(slug="scheduled")
    assert scheduled.published_at.year == 2030
    assert not public.filter(slug="scheduled").exists()


@pytest.mark.django_db
def test_theme_unit_test_without_articles_reports_the_unmatched_threads():
    make_article(slug="template-comments")

    out = run_import(THEME)

    # template-comments: 20 comments, 1015 unapproved; 6 other items with
    # importable comments: 1 + 4 + 1 + 1 + 1 + 1 = 9 comments.
    assert by_status() == {CommentStatus.PUBLISHED: 19, CommentStatus.PENDING: 1}
    assert "9 thread matched no article" in out
    assert "threads that matched no article: 6" in out
    assert "https://wpthemetestdata.wordpress.com/about/page-with-comments/" in out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_isso_wordpress_matches_by_post_name_and_map(tmp_path):
    article = make_article(slug="test")
    links = write_map(tmp_path, "# old links", "http://example.tld/?p=4,test")

    out = run_import(ISSO_WP, "--map", links)

    # 7 comments on /2014/test/ (post_name test) + 1 on ?p=4, all approved;
    # 7 answers 6, 8 and 9 answer 7.
    assert by_status(article=article) == {CommentStatus.PUBLISHED: 8}
    assert Comment.objects.exclude(in_reply_to=None).count() == 3
    assert "8 published" in out
    assert "3 replies linked" in out


@pytest.mark.django_db
def test_isso_wordpress_keeps_line_breaks_emails_and_gmt_dates():
    make_article(slug="test")

    out = run_import(ISSO_WP)

    multiline = Comment.objects.get(author_name="Multiline Author")
    assert multiline.body == (
        "When you have a comment with multiple lines:\nWordPress exports it like this."
    )
    assert multiline.author_email == "multiline@example.org"  # trailing newline gone
    # comment_date 12:13:14, comment_date_gmt 02:13:14: GMT wins.
    assert multiline.published_at == datetime(2022, 6, 6, 2, 13, 14, tzinfo=UTC)
    # Comment 7 has no comment_date, only comment_date_gmt.
    reply = Comment.objects.get(body="Drölfter!")
    assert reply.submitted_at == datetime(2014, 4, 29, 15, 21, 35, tzinfo=UTC)
    assert reply.in_reply_to.body == "Zweiter."
    assert "1 thread matched no article" in out
    assert "http://example.tld/?p=4 (1 comment)" in out


@pytest.mark.django_db
def test_isso_disqus_imports_with_replies_and_skips_deleted(tmp_path):
    hello = make_article(slug="hello-world")
    redacted = make_article(slug="redacted")
    links = write_map(tmp_path, "http://example.org/,hello-world")

    out = run_import(ISSO_DISQUS, "--map", links)

    # Posts 4, 5, 11 on thread 2 (http://example.org/), 8 on thread 7
    # (.../redacted/index.html); 9 is deleted; 6's thread 1337 isn't in the file.
    assert by_status(article=hello) == {CommentStatus.PUBLISHED: 3}
    assert by_status(article=redacted) == {CommentStatus.PUBLISHED: 1}
    assert "1 deleted" in out
    assert "thread 1337 (not in the file) (1 comment)" in out
    # 5 answers 4; 11 answers the deleted 9: no link.
    reply = Comment.objects.get(origin_id="5")
    assert reply.in_reply_to.author_name == "peter"
    assert Comment.objects.get(origin_id="11").in_reply_to is None
    assert Comment.objects.get(origin_id="8").body == (
        "Message from thread with empty title and id"
    )


@pytest.mark.django_db
def test_second_run_of_the_same_file_imports_nothing_and_says_so():
    make_article(slug="test")
    run_import(ISSO_WP)
    before = Comment.objects.count()

    out = run_import(ISSO_WP)

    assert Comment.objects.count() == before == 7
    assert "Nothing new: all 7 comments were imported before." in out
    assert Decision.objects.count() == 7


@pytest.mark.django_db
def test_second_run_with_create_articles_creates_nothing_more():
    run_import(THEME, "--create-articles")

    out = run_import(THEME, "--create-articles")

    assert Article.objects.count() == 60
    assert Comment.objects.count() == 29
    assert "Nothing new: all 29 comments" in out


@pytest.mark.django_db
def test_dry_run_reports_and_stores_nothing():
    out = run_import(THEME, "--create-articles", "--dry-run")

    assert "would import 29 comments: 26 published, 3 pending" in out
    assert "Dry run: nothing was stored." in out
    assert Comment.objects.count() == 0
    assert Article.objects.count() == 0
    assert Decision.objects.count() == 0


@pytest.mark.django_db
def test_import_records_a_decision_per_comment_without_an_editor():
    make_article(slug="test")

    run_import(ISSO_WP)

    decisions = Decision.objects.all()
    assert decisions.count() == 7
    assert {d.action for d in decisions} == {Action.IMPORT}
    assert {d.editor_id for d in decisions} == {None}
    assert {d.note for d in decisions} == {"imported from isso-wordpress.xml"}


@pytest.mark.django_db
def test_imported_comments_show_at_once_on_a_page_read_before(client):
    article = make_article(slug="test")
    assert "Erster!1" not in client.get(article.get_absolute_url()).text  # cached

    run_import(ISSO_WP)

    article.refresh_from_db()
    assert article.published_comment_count == 7
    page = client.get(article.get_absolute_url()).text
    assert "Erster!1" in page
    assert "14 Jan 2014" in page  # the original date is the comment's date


@pytest.mark.django_db
def test_a_published_reply_links_to_the_comment_it_answers(client):
    article = make_article(slug="test")
    run_import(ISSO_WP)
    parent = Comment.objects.get(body="Zweiter.")

    page = client.get(article.get_absolute_url()).text

    assert f'href="#c{parent.pk}">in reply to Tester</a>' in page


@pytest.mark.django_db
def test_a_reply_to_an_unpublished_comment_says_nothing_of_it(client):
    article = make_article(slug="page-with-comments")
    run_import(THEME)
    # 1017 (pending) answers 168; 168 is published. Nothing answers a pending one
    # in the file, so take 168 down: its published replies must not name it.
    parent = Comment.objects.get(body="Contributor comment.")
    from moderation.transitions import reject_comment

    reply = Comment.objects.get(body="nothing useful to say")
    from moderation.transitions import publish_comment

    publish_comment(comment=reply, editor=None)
    assert "in reply to" in client.get(article.get_absolute_url()).text
    reject_comment(comment=parent, editor=None)

    page = client.get(article.get_absolute_url()).text

    assert "nothing useful to say" in page
    assert "in reply to" not in page


@pytest.mark.django_db(transaction=True)
def test_big_file_prepared_by_worker_processes_imports_the_same(monkeypatch):
    # Big files have their bodies prepared by a pool of processes; make this
    # one count as big.
    from moderation.transfer import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)

    out = run_import(THEME, "--create-articles")

    assert by_status() == {CommentStatus.PUBLISHED: 26, CommentStatus.PENDING: 3}
    assert Comment.objects.exclude(in_reply_to=None).count() == 10
    assert "4 pingback/trackback" in out
    assert Comment.objects.get(body="Comment Depth 02").body_html == (
        "<p>Comment Depth 02</p>"
    )


@pytest.mark.django_db
def test_isso_disqus_with_create_articles_makes_one_per_thread_with_comments():
    out = run_import(ISSO_DISQUS, "--create-articles")

    # Threads 2 (http://example.org/, "Hello, World!": posts 4, 5, 11) and 7
    # (.../redacted/index.html, no title: post 8); 1337 isn't in the file.
    assert sorted(Article.objects.values_list("slug", "title")) == [
        ("hello-world", "Hello, World!"),
        ("redacted", "redacted"),
    ]
    assert by_status() == {CommentStatus.PUBLISHED: 4}
    assert "articles created: 2" in out
    assert "thread 1337 (not in the file) (1 comment)" in out
    hello = Article.objects.get(slug="hello-world")
    assert "Comments moved from http://example.org/." in hello.body
    assert hello.published_at == datetime(2012, 12, 12, 12, 12, 12, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["Shift_JIS", "EUC-JP", "GB18030", "cp1252"])
def test_export_in_a_legacy_encoding_is_read_as_declared(tmp_path, encoding):
    make_article(slug="test")
    name, text = (
        ("Café", "Déjà vu") if encoding == "cp1252" else ("山田", "日本語のコメント")
    )
    path = tmp_path / "legacy.xml"
    xml = wxr(wxr_item("test", wxr_comment(1, author=name, content=text)))
    path.write_bytes(
        xml.replace('encoding="UTF-8"', f'encoding="{encoding}"').encode(encoding)
    )

    run_import(path)

    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == (name, text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("exported", "shown"),
    [
        ("\u200bAnn\u200e \u2060Lee\ufeff", "Ann Lee"),  # as the form keeps it
        ("\u200b\u200c\u200d", "Anonymous"),  # nothing visible
        (
            "Ann\nLee\x7f\u009b",
            "Ann Lee",
        ),  # the form refuses these; an import mends them
        ("\u200b" * 50 + "A" * 150, "A" * 100),
    ],
)
def test_imported_names_are_cleaned_as_the_form_cleans_them(tmp_path, exported, shown):
    make_article(slug="test")
    path = tmp_path / "names.xml"
    path.write_text(wxr(wxr_item("test", wxr_comment(1, author=exported))))

    run_import(path)

    assert Comment.objects.get().author_name == shown


@pytest.mark.parametrize("name", ["import_comments", "export_comments"])
def test_help_is_one_line_and_no_option_is_split(name, monkeypatch):
    from django.core.management import load_command_class

    monkeypatch.setenv("COLUMNS", "80")
    command = load_command_class("moderation", name)
    text = command.create_parser("manage.py", name).format_help()

    assert "\n" not in command.help
    assert command.help in text
    assert not re.search(r"--[a-z]+-\n", text)  # no option broken at its hyphen
    assert max(len(line) for line in text.splitlines()) <= 80
