from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # comments can't import moderation (DESIGN.md), so it announces new comments
        # through its one signal and moderation listens here.
        from comments.signals import comment_submitted
        from moderation.notices import on_comment_submitted

        comment_submitted.connect(
            on_comment_submitted, dispatch_uid="moderation-notice"
        )
