"""Our own addresses, read and built in one place (comments/addressing.py)."""

import pytest

from comments.addressing import (
    is_own_address,
    mailto_for,
    notice_answer_address,
    notice_token,
    plus_address,
    plus_tag,
)
from comments.mail.pipeline import ingest_raw_email
from comments.models import Comment
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article


@pytest.fixture(autouse=True)
def _our_address(settings):
    settings.COMMENTS_EMAIL_ADDRESS = "The Source Hat <Tech@SourceHat.example>"
    settings.DEFAULT_FROM_EMAIL = "Editors <noreply@sourcehat.example>"


def test_plus_address_is_built_and_read_back_whatever_the_display_name():
    assert plus_address("open-weights") == "Tech+open-weights@sourcehat.example"
    assert plus_tag("Reader <TECH+open-weights@SourceHat.example>") == "open-weights"


@pytest.mark.parametrize(
    "address",
    [
        "tech@sourcehat.example",
        "tech+@sourcehat.example",
        "techie+x@sourcehat.example",
        "tech+x@elsewhere.example",
        "not an address",
    ],
)
def test_other_addresses_carry_no_plus_tag(address):
    assert plus_tag(address) == ""


def test_notice_answer_address_carries_its_token_and_nothing_else_does():
    address = notice_answer_address("AbC123.xyz")

    assert address == "Tech+n-AbC123.xyz@sourcehat.example"
    assert notice_token(address) == "AbC123.xyz"
    assert notice_token(plus_address("open-weights")) == ""


@pytest.mark.parametrize(
    ("address", "ours"),
    [
        ("tech@sourcehat.example", True),
        ("TECH+anything@SourceHat.example", True),
        ("noreply@sourcehat.example", True),
        ("techie@sourcehat.example", False),
        ("tech@elsewhere.example", False),
    ],
)
def test_own_addresses_include_the_senders_and_the_plus_forms(address, ours):
    assert is_own_address(address) is ours


@pytest.mark.django_db
def test_the_mailto_link_of_an_article_routes_a_letter_to_it():
    article = make_article(slug="open-weights")
    address = mailto_for(article).removeprefix("mailto:").split("?")[0]

    result = ingest_raw_email(email_bytes(to=address))

    assert (result.outcome, result.reason) == ("queued", "routed_by_plus_address")
    assert Comment.objects.get().article == article
