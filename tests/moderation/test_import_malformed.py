"""import_comments on broken input: a clear message naming the place, nothing stored."""

import os

import pytest
from django.core.management import CommandError, execute_from_command_line

from blog.models import Article
from comments.models import Comment
from moderation.models import Decision
from moderation.transfer import writer
from tests.factories import make_article
from tests.moderation.transfer import (
    ISSO_WP,
    THEME,
    run_import,
    wxr,
    wxr_comment,
    wxr_item,
)


def nothing_stored(articles: int = 0) -> bool:
    return (
        Comment.objects.count() == 0
        and Decision.objects.count() == 0
        and Article.objects.count() == articles
    )


@pytest.mark.django_db
def test_truncated_file_names_line_and_column_and_stores_nothing(tmp_path):
    cut = tmp_path / "cut.xml"
    # Past the first posts (which --create-articles makes as it goes) and into
    # the middle of an element.
    cut.write_bytes(THEME.read_bytes()[:450_000])

    with pytest.raises(CommandError) as error:
        run_import(cut, "--create-articles")

    message = str(error.value)
    assert "cut.xml: broken XML at line" in message
    assert ", column " in message
    assert "nothing was imported" in message
    assert nothing_stored()


@pytest.mark.django_db
def test_bad_date_names_the_comment_and_stores_nothing(tmp_path, monkeypatch):
    make_article(slug="test")
    # One comment a batch: the good ones before the bad date are written first,
    # and must be rolled back with the rest.
    monkeypatch.setattr(writer, "BATCH_SIZE", 1)
    bad = tmp_path / "bad-date.xml"
    bad.write_text(
        ISSO_WP.read_text().replace(
            "<wp:comment_date_gmt>2014-04-29 15:21:45</wp:comment_date_gmt>",
            "<wp:comment_date_gmt>2014-13-45 25:21:45</wp:comment_date_gmt>",
        )
    )

    with pytest.raises(CommandError) as error:
        run_import(bad)

    message = str(error.value)
    assert "comment 8" in message
    assert "bad date '2014-13-45 25:21:45'" in message
    assert nothing_stored(articles=1)


@pytest.mark.django_db
def test_disqus_bad_date_names_the_post(tmp_path):
    bad = tmp_path / "disqus.xml"
    bad.write_text(
        '<?xml version="1.0"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
        '<thread dsq:id="1"><link>https://old.example.org/post/</link></thread>'
        '<post dsq:id="77"><message>Hi</message><createdAt>yesterday</createdAt>'
        '<thread dsq:id="1"/></post></disqus>'
    )

    with pytest.raises(CommandError) as error:
        run_import(bad)

    assert "post 77" in str(error.value)
    assert "bad date 'yesterday'" in str(error.value)


def disqus_post(created_at: str) -> str:
    return (
        '<?xml version="1.0"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
        '<thread dsq:id="1"><link>https://old.example.org/test/</link></thread>'
        f'<post dsq:id="77"><message>Hi</message><createdAt>{created_at}</createdAt>'
        '<thread dsq:id="1"/></post></disqus>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "created_at",
    [
        "0001-01-01T00:00:00+14:00",  # the day before year 1, in UTC
        "9999-12-31T23:59:59-12:00",  # year 10000, in UTC
        "0001-01-01T00:00:00+00:01",
    ],
)
def test_disqus_date_beyond_the_calendar_is_refused_by_place(tmp_path, created_at):
    make_article(slug="test")
    path = tmp_path / "disqus.xml"
    path.write_text(disqus_post(created_at))

    with pytest.raises(CommandError) as error:
        run_import(path)

    message = str(error.value)
    assert "\n" not in message
    assert f"post 77 (thread 'https://old.example.org/test/'): date {created_at!r}" in (
        message
    )
    assert "out of range" in message
    assert nothing_stored(articles=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"comments": []}', "unknown format: not an XML file"),
        ("", "unknown format: not an XML file"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
            "an RSS feed without WordPress's wp: namespace",
        ),
        (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
            "unknown format: the root element is <feed>",
        ),
    ],
)
def test_unknown_format_is_refused_by_name(tmp_path, content, expected):
    path = tmp_path / "export.xml"
    path.write_text(content)

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert expected in str(error.value)
    assert nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("declared", "body", "expected"),
    [
        ("x-no-such-encoding", b"", "unknown encoding 'x-no-such-encoding' in the XML"),
        ("base64", b"", "unknown encoding 'base64' in the XML declaration"),
        ("Shift_JIS", b"\x82", "broken Shift_JIS at byte"),  # half a character
    ],
)
def test_unreadable_encoding_is_refused_in_one_line(tmp_path, declared, body, expected):
    make_article(slug="test")
    path = tmp_path / "export.xml"
    rest = wxr(wxr_item("test", wxr_comment(1))).encode().split(b"\n", 1)[1]
    path.write_bytes(
        f'<?xml version="1.0" encoding="{declared}"?>\n'.encode()
        + rest.replace(b"A comment.", b"A comment " + body + b"<")
    )

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert expected in str(error.value)
    assert "\n" not in str(error.value)
    assert nothing_stored(articles=1)


@pytest.mark.django_db
def test_entity_declarations_are_refused_not_expanded(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        + wxr(wxr_item("test", wxr_comment(1, content="&b;"))).split("\n", 1)[1]
    )

    with pytest.raises(CommandError) as error:
        run_import(bomb)

    assert "refused: the file declares XML entities" in str(error.value)


@pytest.mark.django_db
def test_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"can't read it \(No such file"):
        run_import(tmp_path / "nope.xml")


@pytest.mark.django_db
def test_bad_map_line_is_named(tmp_path):
    links = tmp_path / "links.csv"
    links.write_text("http://example.tld/?p=4,test\njust-a-link\n")
    make_article(slug="test")

    with pytest.raises(CommandError, match=r"links.csv, line 2: expected"):
        run_import(ISSO_WP, "--map", str(links))


@pytest.mark.django_db
def test_map_to_a_missing_article_is_named(tmp_path):
    links = tmp_path / "links.csv"
    links.write_text("http://example.tld/?p=4,no-such-article\n")

    with pytest.raises(
        CommandError, match="no article with the slug 'no-such-article'"
    ):
        run_import(ISSO_WP, "--map", str(links))


@pytest.mark.django_db(transaction=True)
def test_broken_file_exits_with_code_1(tmp_path, capsys):
    path = tmp_path / "export.xml"
    path.write_text("not xml at all")

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_comments", str(path)])

    assert exit_.value.code == 1
    assert "unknown format" in capsys.readouterr().err


@pytest.mark.django_db
def test_skipped_kinds_are_counted_by_reason(tmp_path):
    make_article(slug="post")
    path = tmp_path / "mixed.xml"
    path.write_text(
        wxr(
            wxr_item(
                "post",
                wxr_comment(1, content="Kept."),
                wxr_comment(2, approved="trash"),
                wxr_comment(3, approved="post-trashed"),
                wxr_comment(4, kind="pingback"),
                wxr_comment(5, kind="trackback"),
                wxr_comment(6, kind="order_note"),
                wxr_comment(7, content="<img src=x>"),
                wxr_comment(8, content="Spam!", approved="spam"),
                wxr_comment(9, content="Held.", approved="0"),
                wxr_comment(1, content="Kept."),  # the same id again
            ),
            ns="https://wordpress.org/export/1.1/",
        )
    )

    out = run_import(path)

    assert "3 comments: 1 published, 1 pending, 1 spam" in out
    assert "2 trashed" in out
    assert "2 pingback/trackback" in out
    assert "1 not a comment (other type)" in out
    assert "1 empty" in out
    assert "1 duplicate of an earlier import" in out


@pytest.mark.django_db
def test_comment_answering_itself_is_imported_without_the_loop(tmp_path):
    make_article(slug="post")
    path = tmp_path / "loop.xml"
    path.write_text(wxr(wxr_item("post", wxr_comment(5, content="Me.", parent=5))))

    run_import(path)

    assert Comment.objects.get().in_reply_to is None


@pytest.mark.django_db
def test_unreadable_file_is_named(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text("<rss/>")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: use a directory instead
        path = tmp_path / "a-directory.xml"
        path.mkdir()

    with pytest.raises(
        CommandError, match=r"can't read it \((Permission denied|Is a directory)\)"
    ):
        run_import(path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [False, True])
def test_comment_repeated_across_batches_is_stored_once(tmp_path, monkeypatch, workers):
    from moderation.transfer import parallel

    # One comment a batch, so that with workers the repeat is in a batch still
    # being prepared when the next is read.
    monkeypatch.setattr(writer, "BATCH_SIZE", 1)
    if workers:
        monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    make_article(slug="post")
    path = tmp_path / "repeats.xml"
    path.write_text(
        wxr(
            wxr_item(
                "post",
                *(wxr_comment(n % 3, content=f"Comment {n % 3}.") for n in range(9)),
            )
        )
    )

    out = run_import(path)

    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "Comment 0.",
        "Comment 1.",
        "Comment 2.",
    ]
    assert Decision.objects.count() == 3
    assert "6 duplicate of an earlier import" in out
