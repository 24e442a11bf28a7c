import pytest

from comments.intake import CommentsClosed, submit_comment
from comments.models import CommentSource, CommentStatus, SpamTerm, SpamTermKind
from comments.screening import BUSY_IP_WINDOW, Signals
from tests.conftest import away_from_a_window_edge
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _submit(article, body="An ordinary remark on the article.", **kwargs):
    return submit_comment(
        article=article, source=CommentSource.WEB, body=body, **kwargs
    )


def test_blocked_term_alone_sends_comment_to_spam(article):
    SpamTerm.objects.create(term="casino", kind=SpamTermKind.BLOCKED)

    comment = _submit(article, body="Best CASINO bonus here")

    assert comment.status == CommentStatus.SPAM
    assert "blocked term “casino”" in comment.spam_reasons[0]


def test_one_suspect_term_alone_stays_pending(article):
    SpamTerm.objects.create(term="crypto", kind=SpamTermKind.SUSPECT)

    comment = _submit(article, body="Is crypto relevant to this?")

    assert comment.status == CommentStatus.PENDING and comment.spam_score > 0


@pytest.mark.parametrize("signals", [Signals(seconds_to_submit=0.5)], ids=["too-fast"])
def test_one_soft_signal_never_reaches_threshold(article, signals):
    assert _submit(article, signals=signals).status == CommentStatus.PENDING


def test_busy_ip_alone_stays_pending(article):
    away_from_a_window_edge(int(BUSY_IP_WINDOW.total_seconds()), "203.0.113.9")
    for n in range(6):
        comment = _submit(
            article, body=f"Comment number {n} from one desk.", ip_address="203.0.113.9"
        )

    assert comment.status == CommentStatus.PENDING
    assert any("from this IP" in r for r in comment.spam_reasons)


def test_many_links_and_a_duplicate_together_reach_spam(article):
    links = " ".join(f"https://spam.example/{n}" for n in range(7))
    _submit(article, body=f"Buy now {links}")

    comment = _submit(article, body=f"buy  NOW {links}")

    assert comment.status == CommentStatus.SPAM
    assert any("Same text" in r for r in comment.spam_reasons)


def test_closed_article_refuses_intake():
    article = make_article(comments_open=False)

    with pytest.raises(CommentsClosed):
        _submit(article)


def test_notify_is_dropped_without_an_address(article):
    assert not _submit(article, notify_on_publish=True).notify_on_publish


def test_editors_term_change_applies_to_the_next_comment(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        term = SpamTerm.objects.create(term="casino", kind=SpamTermKind.BLOCKED)
    first = _submit(article, body="Best casino bonus here")  # lists now cached

    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
        SpamTerm.objects.create(term="lottery", kind=SpamTermKind.SUSPECT)
    second = _submit(article, body="Best casino bonus, or the lottery")

    assert first.status == CommentStatus.SPAM
    assert second.status == CommentStatus.PENDING
    assert any("lottery" in reason for reason in second.spam_reasons)
    assert not any("casino" in reason for reason in second.spam_reasons)


def test_term_added_by_another_worker_applies_to_the_next_post(article):

    from django.core.cache import cache

    from comments import screening

    _submit(article, body="Nothing to see.")  # the lists are now in the cache
    # Another process adds a term: the database changes, and its commit drops
    # the shared copy (bulk_create sends no signal in this one).
    SpamTerm.objects.bulk_create([SpamTerm(term="casino", kind=SpamTermKind.BLOCKED)])
    cache.delete(screening.SPAM_TERMS_KEY)

    after = _submit(article, body="Best casino bonus here")

    assert after.status == CommentStatus.SPAM
