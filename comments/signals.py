"""The one signal comments sends: a comment arrived (sent after the commit).

Receivers get `comment` (a Comment). moderation uses it to notify editors.
"""

from django.dispatch import Signal

comment_submitted = Signal()
