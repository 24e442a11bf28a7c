"""The content rules both channels share (comments/validation.py), through the form.

The form is where a reader meets them; the email side of each rule is tested in
tests/comments/mail/test_pipeline.py.
"""

import pytest

from comments.forms import CommentForm

pytestmark = pytest.mark.django_db
# 64 + "@" + 236: valid by Django's EmailValidator, longer than the 254 a path holds.
LONG_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + "." + "c" * 53 + ".org"


def form(**fields: str) -> CommentForm:
    return CommentForm(data={"body": "A considered reply.", **fields})


def test_address_longer_than_the_column_is_a_form_error_not_a_500():
    assert len(LONG_ADDRESS) > 254
    bound = form(email=LONG_ADDRESS)

    assert not bound.is_valid()
    assert bound.has_error("email", code="too_long")
    assert "254" in bound.errors["email"][0]


def test_address_of_254_characters_is_accepted():
    address = "a" * 64 + "@" + "b" * 63 + "." + "b" * 63 + "." + "c" * 57 + ".org"
    assert len(address) == 254
    bound = form(email=address)

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["email"] == address


@pytest.mark.parametrize(
    "name",
    [
        "\u200b\u200b",
        "\ufeff",
        "\u200e\u200f\u2060",
        "\u061c",
        # issue 22: Hangul fillers, braille blank, soft hyphen, grapheme joiner,
        # tag characters, Mongolian vowel separator, function application, Khmer
        # inherent vowels: all Default_Ignorable_Code_Point but the braille blank.
        "\u3164\u3164",
        "\u115f\u1160",
        "\uffa0 \u2800",
        "\u00ad\u034f",
        "\U000e0053\U000e0061\U000e006d",
        "\u180e\u2061\u17b4\u17b5",
    ],
)
def test_name_of_invisible_characters_only_is_anonymous(name):
    bound = form(name=name)

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["name"] == "Anonymous"


def test_invisible_characters_hidden_in_a_name_are_removed():
    bound = form(name="Ad\u200ba Love\u2060lace\ufeff")

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["name"] == "Ada Lovelace"


def test_fillers_around_a_name_are_removed_and_the_name_kept():
    bound = form(name="\u3164Sam\u2800 Ex\u00adample\U000e0041")

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["name"] == "Sam Example"


@pytest.mark.parametrize(
    "body",
    [
        "\u200b\u200b",
        " \ufeff \u200d ",
        "\u2060\n\u061c",
        "\u3164" * 40,
        "\u2800\u2800\n\u2800",
        "\u115f\u1160\uffa0\u00ad\u034f\u180e\u2061\u17b4\u17b5",
        "\U000e0068\U000e0069",
    ],
)
def test_comment_of_invisible_characters_only_is_refused(body):
    bound = form(body=body)

    assert not bound.is_valid()
    assert bound.has_error("body", code="too_short")


def test_comment_keeps_the_joiners_that_spell_an_emoji():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    bound = form(body=f"Our {family} loved it.")

    assert bound.is_valid(), bound.errors
    assert family in bound.cleaned_data["body"]
