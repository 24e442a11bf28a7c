import pytest
from django.utils import timezone

from comments.models import Comment, CommentSource, CommentStatus
from moderation import transitions as t
from moderation.models import Action, Decision
from tests.factories import make_article, make_comment

S = CommentStatus
pytestmark = pytest.mark.django_db

LEGAL = [
    (t.publish_comment, S.PENDING, S.PUBLISHED),
    (t.publish_comment, S.REJECTED, S.PUBLISHED),
    (t.publish_comment, S.SPAM, S.PUBLISHED),
    (t.reject_comment, S.PENDING, S.REJECTED),
    (t.reject_comment, S.PUBLISHED, S.REJECTED),
    (t.reject_comment, S.SPAM, S.REJECTED),
    (t.mark_spam, S.PENDING, S.SPAM),
    (t.mark_spam, S.PUBLISHED, S.SPAM),
    (t.mark_spam, S.REJECTED, S.SPAM),
    (t.return_to_pending, S.PUBLISHED, S.PENDING),
    (t.return_to_pending, S.REJECTED, S.PENDING),
    (t.return_to_pending, S.SPAM, S.PENDING),
]
ILLEGAL = [
    (t.publish_comment, S.PUBLISHED),
    (t.reject_comment, S.REJECTED),
    (t.mark_spam, S.SPAM),
    (t.return_to_pending, S.PENDING),
    (t.feature_comment, S.PENDING),
    (t.feature_comment, S.REJECTED),
    (t.feature_comment, S.SPAM),
    (t.unfeature_comment, S.PENDING),
]


@pytest.mark.parametrize(("move", "start", "end"), LEGAL)
def test_legal_transition_changes_status_and_records_decision(move, start, end, editor):
    comment = make_comment(status=start)

    move(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == end
    last = Decision.objects.filter(comment=comment).first()
    assert (last.from_status, last.to_status, last.editor) == (start, end, editor)


@pytest.mark.parametrize(("move", "start"), ILLEGAL)
def test_illegal_transition_raises_and_changes_nothing(move, start, editor):
    comment = make_comment(status=start)
    decisions = Decision.objects.count()

    with pytest.raises(t.InvalidTransition):
        move(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == start
    assert Decision.objects.count() == decisions


def test_unrouted_email_comment_cannot_be_published(editor):
    comment = make_comment(article=None, source=CommentSource.EMAIL)

    with pytest.raises(t.InvalidTransition):
        t.publish_comment(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == S.PENDING


def test_publish_renders_html_once_and_updates_article(editor):
    article = make_article()
    comment = make_comment(
        article=article, body="Hello <b>there</b>\n\nhttps://example.org"
    )
    before = article.comments_changed_at

    t.publish_comment(comment=comment, editor=editor)

    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.body_html.startswith("<p>Hello &lt;b&gt;there&lt;/b&gt;</p>")
    assert 'rel="nofollow ugc noopener"' in comment.body_html
    assert comment.published_at <= timezone.now()
    assert article.published_comment_count == 1
    assert article.comments_changed_at > before


def test_take_down_published_comment_updates_count(editor):
    article = make_article()
    comment = make_comment(article=article, status=S.PUBLISHED)

    t.reject_comment(comment=comment, editor=editor, reason="off topic")

    article.refresh_from_db()
    assert article.published_comment_count == 0
    assert Decision.objects.filter(comment=comment).first().note == "off topic"


def test_rejecting_pending_comment_leaves_article_cache_key(editor):
    article = make_article()
    comment = make_comment(article=article)
    article.refresh_from_db()
    before = article.comments_changed_at

    t.reject_comment(comment=comment, editor=editor)

    article.refresh_from_db()
    assert article.comments_changed_at == before


def test_feature_and_unfeature_published_comment(editor):
    comment = make_comment(status=S.PUBLISHED)

    t.feature_comment(comment=comment, editor=editor, label="dissent")
    comment.refresh_from_db()
    assert comment.featured and comment.pick_label == "dissent"

    t.unfeature_comment(comment=comment, editor=editor)
    comment.refresh_from_db()
    assert not comment.featured and comment.pick_label == ""


@pytest.mark.parametrize("start", [S.PENDING, S.REJECTED, S.SPAM, S.PUBLISHED])
def test_publish_and_feature_puts_a_pick_on_the_page(editor, start):
    comment = make_comment(status=start)
    earlier = comment.decisions.count()

    t.publish_and_feature(comment=comment, editor=editor, label="dissent")

    comment.refresh_from_db()
    assert comment.status == S.PUBLISHED and comment.featured
    assert comment.pick_label == "dissent"
    new = comment.decisions.order_by("pk")[earlier:].values_list("action", flat=True)
    expected = (
        [Action.FEATURE] if start == S.PUBLISHED else [Action.PUBLISH, Action.FEATURE]
    )
    assert list(new) == expected


def test_publish_and_feature_of_an_unrouted_comment_changes_nothing(editor):
    comment = make_comment(article=None, source=CommentSource.EMAIL)

    with pytest.raises(t.InvalidTransition):
        t.publish_and_feature(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.status == S.PENDING and not comment.featured
    assert not comment.decisions.exists()


def test_unfeature_of_plain_published_comment_is_illegal(editor):
    comment = make_comment(status=S.PUBLISHED)

    with pytest.raises(t.InvalidTransition):
        t.unfeature_comment(comment=comment, editor=editor)


def test_edit_keeps_original_and_previous_text(editor):
    comment = make_comment(status=S.PUBLISHED, body="Teh original text.")

    t.edit_comment(comment=comment, editor=editor, text="The original text.")

    comment.refresh_from_db()
    assert comment.body == "Teh original text."
    assert comment.edited_body == "The original text."
    assert "The original text." in comment.body_html
    decision = Decision.objects.filter(comment=comment).first()
    assert (
        decision.action == Action.EDIT
        and decision.previous_text == "Teh original text."
    )


def test_edit_with_unchanged_text_is_illegal(editor):
    comment = make_comment(body="Same text here.")

    with pytest.raises(t.InvalidTransition):
        t.edit_comment(comment=comment, editor=editor, text="Same text here.")


def test_assign_article_routes_unrouted_comment_then_publish_works(editor):
    article = make_article()
    comment = make_comment(article=None, source=CommentSource.EMAIL)

    t.assign_article(comment=comment, editor=editor, article=article)
    t.publish_comment(comment=comment, editor=editor)

    comment.refresh_from_db()
    assert comment.article == article and comment.status == S.PUBLISHED


def test_assign_to_same_article_is_illegal(editor):
    comment = make_comment()

    with pytest.raises(t.InvalidTransition):
        t.assign_article(comment=comment, editor=editor, article=comment.article)


def test_undo_publish_returns_comment_to_pending(editor):
    comment = make_comment()
    t.publish_comment(comment=comment, editor=editor)
    decision = Decision.objects.filter(comment=comment).first()

    t.undo_decision(decision=decision, editor=editor)

    comment.refresh_from_db()
    assert comment.status == S.PENDING
    assert comment.article.published_comment_count == 0


def test_undo_of_superseded_decision_is_illegal(editor):
    comment = make_comment()
    t.publish_comment(comment=comment, editor=editor)
    first = Decision.objects.filter(comment=comment).first()
    t.reject_comment(comment=comment, editor=editor)

    with pytest.raises(t.InvalidTransition):
        t.undo_decision(decision=first, editor=editor)


def test_reorder_features_sets_page_order(editor):
    article = make_article()
    a = make_comment(article=article, status=S.PUBLISHED, featured=True)
    b = make_comment(article=article, status=S.PUBLISHED, featured=True)

    t.reorder_features(article=article, editor=editor, comment_ids=[b.pk, a.pk])

    assert list(Comment.objects.featured().filter(article=article)) == [b, a]


def test_writer_correction_of_a_refused_comment_is_an_invalid_transition():
    comment = make_comment(status=CommentStatus.REJECTED, body="Turned down.")
    decided = comment.decisions.count()

    with pytest.raises(t.InvalidTransition):
        t.correct_by_writer(comment=comment, text="Let me try again.")

    comment.refresh_from_db()
    assert comment.body == "Turned down." and comment.decisions.count() == decided


def test_writer_withdrawal_of_a_published_comment_is_an_invalid_transition():
    comment = make_comment(status=CommentStatus.PUBLISHED)

    with pytest.raises(t.InvalidTransition):
        t.withdraw_by_writer(comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_writer_withdrawal_moves_a_waiting_comment_out_with_a_decision():
    comment = make_comment(status=CommentStatus.PENDING)

    t.withdraw_by_writer(comment=comment)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert comment.decisions.get().action == "withdraw"


@pytest.mark.parametrize("decide", ["publish", "feature", "pending", "reply"])
def test_a_comment_its_writer_withdrew_is_not_put_back_by_an_editor(editor, decide):
    comment = make_comment(status=CommentStatus.PENDING)
    t.withdraw_by_writer(comment=comment)
    extra = {"note": "Thanks."} if decide == "reply" else {}

    with pytest.raises(t.InvalidTransition, match="withdrawn by its writer"):
        t.apply_decision(action=decide, comment=comment, editor=editor, **extra)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED and not comment.featured
    # Spam stays possible: the writer's wish is about the page, not the bin.
    t.apply_decision(action="spam", comment=comment, editor=editor)
