"""Finding a letter an editor remembers: the admin list's search and the review
screen's, with the filters beside them."""

import pytest

from comments.models import CommentStatus
from tests.conftest import is_postgres
from tests.factories import make_article, make_comment
from tests.moderation.desk import REVIEW_URL, make_email_comment

LIST_URL = "/admin/comments/comment/"


@pytest.mark.django_db
def test_admin_search_finds_a_letter_by_its_words_and_marks_them(editor_client):
    make_comment(body="The borrow checker rejected my linked list again tonight.")
    make_comment(body="Lovely piece about gardening and tomatoes.")

    html = editor_client.get(LIST_URL, {"q": "borrow checker"}).content.decode()

    assert "<mark>borrow</mark> <mark>checker</mark> rejected" in html
    assert "tomatoes" not in html


@pytest.mark.django_db
def test_admin_search_reads_quotes_as_a_phrase_and_a_minus_as_without(
    editor_client,
):
    make_comment(body="The borrow checker taught me patience.")
    make_comment(body="My checker of spelling wants to borrow your dictionary.")
    make_comment(body="The borrow checker and unsafe blocks, again.")
    # (The search box repeats the query: the letters are told apart by other words.)

    def found(q: str) -> str:
        return editor_client.get(LIST_URL, {"q": q}).content.decode()

    both = found("borrow checker")
    assert "patience" in both and "dictionary" in both and "blocks" in both
    phrase = found('"borrow checker"')
    assert "patience" in phrase and "blocks" in phrase
    assert "dictionary" not in phrase
    without = found('"borrow checker" -unsafe')
    assert "patience" in without
    assert "blocks" not in without and "dictionary" not in without
    assert "patience" not in found('"checker borrow"')  # a phrase keeps its order


@pytest.mark.django_db
def test_admin_search_finds_a_word_deep_in_a_long_letter(editor_client):
    opening = "I have been reading this blog for years and wanted to say " * 3
    make_comment(body=opening + "that lifetimes finally clicked for me.")

    html = editor_client.get(LIST_URL, {"q": "lifetimes"}).content.decode()

    assert "<mark>lifetimes</mark> finally clicked" in html


@pytest.mark.django_db
def test_admin_search_finds_by_name_address_and_email_subject(editor_client):
    make_comment(author_name="Mara Quist", body="First letter.")
    make_comment(author_email="ode@example.net", body="Second letter.")
    make_email_comment(subject="Thoughts on zeroconf", body="Third letter.")

    def found(q: str) -> str:
        return editor_client.get(LIST_URL, {"q": q}).content.decode()

    assert "First letter" in found("Quist")
    assert "Second letter" in found("ode@example.net")
    page = found("zeroconf")
    assert "Third letter" in page
    assert "First letter" not in page


@pytest.mark.django_db
def test_admin_search_keeps_the_status_filter(editor_client):
    make_comment(body="Rust borrow checker, pending.")
    make_comment(body="Rust borrow checker, published.", status=CommentStatus.PUBLISHED)

    pending = editor_client.get(LIST_URL, {"q": "borrow"}).content.decode()
    published = editor_client.get(
        LIST_URL, {"q": "borrow", "status": "published"}
    ).content.decode()

    assert "pending." in pending and "published." not in pending
    assert "published." in published and "pending." not in published


@pytest.mark.django_db
def test_admin_search_escapes_the_letter(editor_client):
    make_comment(body="<script>alert(1)</script> borrow checker")

    html = editor_client.get(LIST_URL, {"q": "borrow"}).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_admin_dmarc_and_date_filters_narrow_the_list(editor_client):
    make_email_comment(verdict={"dmarc": "pass"}, body="Proven sender letter.")
    make_email_comment(verdict={"dmarc": "fail"}, body="Forged sender letter.")

    passed = editor_client.get(LIST_URL, {"dmarc": "pass"}).content.decode()
    today = editor_client.get(
        LIST_URL, {"submitted_at__gte": "2000-01-01 00:00+00:00", "dmarc": "fail"}
    ).content.decode()

    assert "Proven sender" in passed and "Forged sender" not in passed
    assert "Forged sender" in today and "Proven sender" not in today


@pytest.mark.django_db
def test_review_screen_search_walks_only_the_matching_letters(editor_client):
    article = make_article()
    make_comment(article=article, body="Nothing to see here.")
    wanted = make_comment(article=article, body="About the borrow checker.")

    html = editor_client.get(REVIEW_URL, {"q": "borrow checker"}).content.decode()

    assert f'data-comment-id="{wanted.pk}"' in html
    assert "Comment 1 of 1 waiting (filtered)" in html
    assert 'value="borrow checker"' in html


@pytest.mark.django_db
def test_review_screen_search_with_no_match_says_so(editor_client):
    make_comment(body="About gardening.")

    html = editor_client.get(REVIEW_URL, {"q": "quasar"}).content.decode()

    assert "Nothing waiting under these filters" in html


@pytest.mark.postgres
@pytest.mark.django_db
def test_admin_search_puts_the_better_match_first(editor_client):
    assert is_postgres()
    make_comment(body="Weak: a checker board, lent once, and I borrow nothing else.")
    make_comment(body="Strong: borrow checker, borrow checker, the borrow checker.")

    html = editor_client.get(LIST_URL, {"q": "borrow checker"}).content.decode()

    assert html.index("Strong:") < html.index("Weak:")
