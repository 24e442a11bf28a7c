"""config.db: insert() stores a new row as save() would; per_vendor builds SQL once."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Article
from comments.models import Comment, CommentStatus
from config import db

pytestmark = pytest.mark.django_db


def test_a_row_reads_back_as_saved_with_its_defaults(article):
    before = timezone.now()
    comment = db.insert(
        Comment(
            article=article,
            source="web",
            body="First! <b>bold</b> 'quoted' — ünïcode",
            spam_reasons=["Sent 0.4 s after the page loaded."],
            ip_address="2001:db8::1",
        )
    )
    assert comment.pk is not None
    assert not comment._state.adding
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.article == article
    assert stored.body == "First! <b>bold</b> 'quoted' — ünïcode"
    assert stored.spam_reasons == ["Sent 0.4 s after the page loaded."]
    assert stored.ip_address == "2001:db8::1"
    # The model's defaults, as save() would have filled them in.
    assert stored.author_name == "Anonymous"
    assert stored.status == CommentStatus.PENDING
    assert stored.submitted_at >= before
    assert not stored.featured and stored.published_at is None


def test_each_insert_gets_its_own_row(article):
    pks = {
        db.insert(Comment(article=article, source="web", body=str(i))).pk
        for i in range(3)
    }
    assert len(pks) == 3
    assert Comment.objects.filter(pk__in=pks).count() == 3


def test_auto_now_fields_are_filled_as_by_save():
    article = db.insert(Article(title="Inserted", slug="inserted", body="Text."))
    stored = Article.objects.get(pk=article.pk)
    assert stored.created_at is not None and stored.updated_at is not None
    assert timezone.now() - stored.created_at < timedelta(minutes=1)


def test_one_statement(article):
    with CaptureQueriesContext(connection) as queries:
        db.insert(Comment(article=article, source="web", body="Counted."))
    assert len(queries) == 1
    assert queries[0]["sql"].upper().startswith("INSERT")


def test_save_signals_are_sent_when_something_listens(article):
    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre", instance.pk))

    def after(sender, instance, created, **kwargs):
        heard.append(("post", instance.pk, created))

    pre_save.connect(before, sender=Comment)
    post_save.connect(after, sender=Comment)
    try:
        comment = db.insert(Comment(article=article, source="web", body="Heard."))
    finally:
        pre_save.disconnect(before, sender=Comment)
        post_save.disconnect(after, sender=Comment)
    assert heard == [("pre", None), ("post", comment.pk, True)]


def test_an_instance_already_stored_is_refused(article):
    comment = db.insert(Comment(article=article, source="web", body="Once."))
    with pytest.raises(ValueError, match="can't store"):
        db.insert(comment)
    assert Comment.objects.count() == 1


def test_a_failed_insert_spoils_the_transaction_it_is_in(article):
    """As with save(): after the error the caller's atomic block can't carry on
    as if the row were stored; the block's earlier row is rolled back too."""
    with transaction.atomic():
        db.insert(Comment(article=article, source="web", body="Fine."))
        with pytest.raises(IntegrityError):
            db.insert(Comment(article=article, source="nonsense", body="Bad."))
        with pytest.raises(TransactionManagementError):
            Comment.objects.count()
    assert Comment.objects.count() == 0


def test_sql_is_built_once_per_kind_of_database_not_per_connection():
    """A threaded server opens a connection per thread (runserver: per request);
    keeping SQL per connection kept every one of them alive."""
    built = []

    @db.per_vendor
    def statement(quote, table):
        built.append(table)
        return f"SELECT 1 FROM {quote(table)}"

    results = []

    def in_a_thread():
        results.append(statement(connections["default"], "blog_article"))
        connections.close_all()

    for _ in range(3):
        worker = threading.Thread(target=in_a_thread)
        worker.start()
        worker.join()
    results.append(statement(connection, "blog_article"))

    assert built == ["blog_article"]
    assert len(set(results)) == 1 and "blog_article" in results[0]
