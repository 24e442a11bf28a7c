"""Routing an email comment to its article."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.mail.parsing import parse_email
from comments.mail.routing import route, strip_subject_prefixes
from tests.comments.mail.messages import email_bytes
from tests.factories import make_article

OURS = "tech.handrail404@passinbox.com"


def routed(recipient: str = "", **fields: str):
    return route(parse_email(email_bytes(**fields)), recipient=recipient)


@pytest.mark.django_db
def test_plus_address_in_envelope_recipient_routes():
    article = make_article(slug="open-weights")
    assert routed(recipient="tech.handrail404+open-weights@passinbox.com") == (
        article,
        "routed_by_plus_address",
    )


@pytest.mark.django_db
def test_plus_address_is_case_insensitive():
    article = make_article(slug="open-weights")
    assert routed(to="TECH.Handrail404+Open-Weights@PassInbox.com")[0] == article


@pytest.mark.django_db
def test_plus_address_in_cc_header_routes_when_no_envelope_recipient():
    article = make_article(slug="open-weights")
    found = routed(headers={"Cc": "tech.handrail404+open-weights@passinbox.com"})
    assert found == (article, "routed_by_plus_address")


@pytest.mark.django_db
def test_plus_address_on_another_domain_does_not_route():
    make_article(slug="open-weights")
    assert routed(to="tech.handrail404+open-weights@elsewhere.example") == (
        None,
        "unrouted",
    )


@pytest.mark.django_db
def test_address_beats_a_subject_naming_another_article():
    make_article(slug="old-thread", title="Old Thread")
    new = make_article(slug="new-thread")
    found = routed(
        to="tech.handrail404+new-thread@passinbox.com",
        subject="Re: [old-thread] Old Thread",
    )
    assert found == (new, "routed_by_plus_address")


@pytest.mark.django_db
def test_plus_address_naming_no_article_falls_back_to_subject_token():
    article = make_article(slug="real")
    found = routed(to="tech.handrail404+gone@passinbox.com", subject="[real] hi")
    assert found == (article, "routed_by_subject_token")


@pytest.mark.django_db
def test_subject_token_routes():
    article = make_article(slug="ai-is-not-open-source")
    assert routed(subject="Re: [ai-is-not-open-source] AI Is Not Open-Source") == (
        article,
        "routed_by_subject_token",
    )


@pytest.mark.django_db
def test_subject_title_routes_after_reply_prefixes():
    article = make_article(title="AI Is Not Open-Source")
    found = routed(subject="AW: Re:  ai is not   OPEN-SOURCE")
    assert found == (article, "routed_by_subject_title")


@pytest.mark.django_db
def test_subject_title_is_compared_after_nfc_normalisation():
    article = make_article(title="Café culture")
    assert routed(subject="Re: Cafe\u0301 culture")[0] == article


@pytest.mark.django_db
def test_subject_similar_to_a_title_does_not_route():
    make_article(title="AI Is Not Open-Source")
    assert routed(subject="Re: AI Is Not Open-Source at all") == (None, "unrouted")


@pytest.mark.django_db
def test_draft_and_scheduled_articles_never_route():
    make_article(slug="draft", title="Draft", published_at=None)
    make_article(
        slug="later", title="Later", published_at=timezone.now() + timedelta(days=1)
    )
    assert routed(recipient="tech.handrail404+draft@passinbox.com") == (
        None,
        "unrouted",
    )
    assert routed(subject="[later] Later")[0] is None
    assert routed(subject="Re: Draft")[0] is None


def test_reply_and_forward_prefixes_are_stripped():
    assert strip_subject_prefixes("Re: Fwd: AW: SV: RE[2]: [list] Title") == "Title"
    assert strip_subject_prefixes("Regarding Title") == "Regarding Title"


@pytest.mark.django_db
def test_article_pages_mailto_link_routes_its_mail(client):
    from urllib.parse import unquote

    from comments.addressing import comments_address_for, mailto_for

    article = make_article(slug="open-weights", title="Open Weights")
    link = mailto_for(article)
    subject = unquote(link.split("subject=", 1)[1])
    assert routed(to=comments_address_for(article), subject=subject) == (
        article,
        "routed_by_plus_address",
    )
    # The subject alone routes it too (a client that drops the plus part).
    assert routed(to=OURS, subject=subject)[0] == article
    assert link in client.get(article.get_absolute_url()).content.decode().replace(
        "&amp;", "&"
    )
