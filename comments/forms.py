"""The comment form under each article. Validates; never writes."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

from comments import validation

TIMESTAMP_SALT = "comments.form.timestamp"
_last_timestamp: list = [0, "", ""]  # [second, its signed stamp, SECRET_KEY]


def signed_timestamp() -> str:
    """When the form was rendered, signed so a robot can't backdate it.

    To the second, and signed once a second: every cached article page gets its
    own filled in (blog/pagecache.py), and signing was a tenth of that request.
    The second is rounded down, so a post seems at most a second slower than it
    was; the "sent too fast" rule is a soft signal either way.
    """
    now = int(time.time())
    second, signed, key = _last_timestamp
    if second != now or key is not settings.SECRET_KEY:
        signed = signing.dumps(now, salt=TIMESTAMP_SALT)
        _last_timestamp[:] = [now, signed, settings.SECRET_KEY]
    return signed


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
        # The length rule lives in validation.clean_body; the widget's maxlength is a
        # courtesy to browsers (counted a little generously for CRLF newlines).
        widget=forms.Textarea(
            attrs={"rows": 8, "maxlength": settings.COMMENT_MAX_LENGTH + 500}
        ),
        help_text=f"Plain text, up to {settings.COMMENT_MAX_LENGTH:,} characters. "
        "Links are allowed; HTML is shown as typed.",
        strip=False,
    )
    notify = forms.BooleanField(
        required=False, label="Email me when my comment is published"
    )
    # Honeypot: hidden from people by CSS and aria-hidden; robots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    ts = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["ts"] = signed_timestamp()

    def clean_name(self) -> str:
        return validation.clean_name(self.cleaned_data.get("name", ""))

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
        """Seconds since the form was rendered; 0 when the stamp is missing/forged."""
        try:
            rendered = signing.loads(
                self.data.get("ts", ""), salt=TIMESTAMP_SALT, max_age=7 * 24 * 3600
            )
        except signing.BadSignature:
            return 0.0
        return max(0.0, time.time() - float(rendered))

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())
