"""Input of the editors' screens: validated here, acted on by the transitions."""

from django import forms
from django.conf import settings
from django.utils.html import format_html

from comments import validation
from comments.models import Comment
from comments.names import suggested_name
from moderation import decisions
from moderation.menus import Menus
from moderation.models import PickLabel, RejectReason

# The largest id a 64-bit column holds: a bigger number is a clear form error (or
# no id at all), not a database overflow (a 500 on PostgreSQL and SQLite alike).
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A positive id that fits the column, from a query parameter; None for anything
    else. ASCII digits only: str.isdigit() is no test alone ("²".isdigit() is True,
    and int("²") raises)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


# The review screen's decisions (moderation/decisions.py), and its undo key.
REVIEW_ACTIONS = [
    *((k.key, k.label) for k in decisions.offered("review_key")),
    ("undo", "Undo"),
]


class ReviewDecisionForm(forms.Form):
    """One button press on the review screen."""

    action = forms.ChoiceField(choices=REVIEW_ACTIONS)
    comment = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    label = forms.ModelChoiceField(
        queryset=PickLabel.objects.all(),
        required=False,
        to_field_name="name",
        empty_label="no label",
    )
    reason = forms.ModelChoiceField(
        queryset=RejectReason.objects.all(),
        required=False,
        to_field_name="text",
        empty_label="no reason",
    )
    note = forms.CharField(required=False, max_length=300, strip=True)
    tell_writer = forms.BooleanField(required=False)
    name = forms.CharField(
        required=False, max_length=validation.NAME_MAX_LENGTH * 2, strip=False
    )
    reply = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    text = forms.CharField(
        required=False,
        max_length=settings.COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: object, menus: Menus | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        if menus is not None:  # shown from the cache (moderation/menus.py)
            label, reason = self.fields["label"], self.fields["reason"]
            label.choices = [("", label.empty_label), *((n, n) for n in menus.labels)]
            reason.choices = [
                ("", reason.empty_label),
                *((text, text) for text in menus.reasons),
            ]

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if action and action != "undo" and not data.get("comment"):
            raise forms.ValidationError("Which comment?", code="no_comment")
        if action == "edit" and not data.get("text"):
            raise forms.ValidationError(
                "The edited text can't be empty.", code="empty_text"
            )
        # The form's own rules for a name and a text (comments/validation.py).
        if action == "rename":
            data["name"] = validation.clean_name(data.get("name", ""))
        if action == "reply":
            data["reply"] = validation.clean_body(data.get("reply", ""))
        return data

    @property
    def reject_reason(self) -> str:
        """The chosen reason and the free text, as one note for the Decision."""
        parts = [
            self.cleaned_data["reason"].text if self.cleaned_data.get("reason") else "",
            self.cleaned_data.get("note", ""),
        ]
        return "; ".join(p for p in parts if p)

    @property
    def label_name(self) -> str:
        label = self.cleaned_data.get("label")
        return label.name if label else ""


class PickOrderForm(forms.Form):
    """Move one pick up or down, or change its label, on an article's picks page."""

    comment = forms.IntegerField(min_value=1, max_value=MAX_ID)
    move = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down"), ("label", "Set label")]
    )
    label = forms.ModelChoiceField(
        queryset=PickLabel.objects.all(),
        required=False,
        to_field_name="name",
        empty_label="no label",
    )


class CommentChangeForm(forms.ModelForm):
    """The comment's admin page: "Edited body" starts as the text visitors see, as
    on the review screen, so fixing a typo is editing, not retyping. The name shown
    and the editors' reply are decisions too (rename, reply): the admin saves each
    through its row of the table."""

    reply = forms.CharField(
        label="Editors’ reply",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown under the comment on the page, in the feed and in the "
        "writer’s email, marked “Editors’ reply”. Saving one publishes a waiting "
        "comment; empty it to remove the reply.",
    )

    class Meta:
        model = Comment
        fields = ("article", "edited_body", "author_name")
        labels = {"author_name": "Name shown"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("edited_body")
        if field is not None and self.instance.pk:
            self.initial["edited_body"] = self.instance.public_text
            field.help_text = (
                "What visitors read. Change it to fix a typo; the reader’s "
                "original above is kept."
            )
        if "reply" in self.fields and self.instance.pk:
            self.initial["reply"] = self.instance.reply_text
        name = self.fields.get("author_name")
        if name is not None and self.instance.pk:
            suggested = suggested_name(self.instance)
            # The admin shows help texts unescaped: the sender's words go through
            # format_html like any HTML the admin shows.
            name.help_text = format_html(
                "Shown with the comment (“Anonymous” when empty).{}",
                format_html(" The sender gave “{}”.", suggested) if suggested else "",
            )

    def clean_author_name(self) -> str:
        return validation.clean_name(self.cleaned_data.get("author_name", ""))

    def clean_reply(self) -> str:
        text = self.cleaned_data.get("reply", "")
        return validation.clean_body(text) if text.strip() else ""
