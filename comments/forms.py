"""The comment form under each article. Validates; never writes."""

import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from comments import validation


class CommentForm(forms.Form):
    name = forms.CharField(
        required=False,
        max_length=validation.NAME_MAX_LENGTH * 2,
        help_text="Shown with your comment. Leave empty to appear as “Anonymous”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        required=False,
        help_text="Optional and never shown. Only used to tell you when your "
        "comment is published, if you ask below.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label="Comment",
        error_messages={"required": "Please write a comment."},
        # The length rule lives in validation.clean_body, and the server is its only
        # judge: a maxlength made browsers drop pasted text silently. The limit is
        # given to static/js/comment-tools.js for its live count instead.
        widget=forms.Textarea(
            attrs={"rows": 8, "data-max-length": settings.COMMENT_MAX_LENGTH}
        ),
        help_text=f"Plain text, up to {settings.COMMENT_MAX_LENGTH:,} characters. "
        "Links are allowed; HTML is shown as typed. Code keeps its shape between "
        "``` lines, indented by four spaces, or in `backticks`.",
        strip=False,
    )
    notify = forms.BooleanField(
        required=False,
        label="Email me when my comment is published (we first send one email "
        "to confirm your address)",
    )
    # Honeypot: hidden from people by CSS and aria-hidden; robots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Filled on sending by static/js/comment-form.js; never an error (a robot's
    # garbage here just means no timing signal).
    elapsed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        return validation.clean_name(self.cleaned_data.get("name", ""))

    def clean_email(self) -> str:
        return validation.clean_email(self.cleaned_data.get("email", ""))

    def clean_body(self) -> str:
        return validation.clean_body(self.cleaned_data.get("body", ""))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("notify") and not data.get("email"):
            self.add_error(
                "email",
                ValidationError(
                    "Give an email address so we can tell you.", code="email_needed"
                ),
            )
        return data

    @property
    def seconds_to_submit(self) -> float | None:
        """Seconds from page load to sending, as the page's script measured them;
        None without JavaScript (or with a value no browser would send)."""
        try:
            seconds = float(self.data.get("elapsed", ""))
        except ValueError:
            return None
        return seconds if math.isfinite(seconds) and seconds >= 0 else None

    @property
    def has_text(self) -> bool:
        """The reader sent some text (so a page refusing it can say it is kept)."""
        return bool(str(self.data.get("body", "")).strip())

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CorrectionForm(forms.Form):
    """The writer's correction of their waiting comment (or its withdrawal)."""

    body = forms.CharField(
        label="Your comment",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "data-max-length": settings.COMMENT_MAX_LENGTH}
        ),
    )
    withdraw = forms.BooleanField(required=False)  # the Withdraw button's value

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("withdraw"):
            try:
                data["body"] = validation.clean_body(data.get("body", ""))
            except ValidationError as error:
                self.add_error("body", error)
        return data
