from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # comments can't import moderation (DESIGN.md), so it announces new comments
        # through its one signal and moderation listens here.
        from comments.mail import handoff
        from comments.signals import comment_submitted
        from moderation import menus
        from moderation.answers import handle_notice_answer
        from moderation.models import PickLabel, RejectReason
        from moderation.notices import on_comment_submitted
        from moderation.permissions import ensure_editors_group
        from moderation.writers import register as register_writer_hooks

        comment_submitted.connect(
            on_comment_submitted, dispatch_uid="moderation-notice"
        )
        # The pipeline hands answers to a notice here (comments/mail/handoff.py).
        handoff.register(handoff.NOTICE_ANSWER, handle_notice_answer)
        # The receipt page (comments) lets a writer correct or withdraw a waiting
        # comment; the decision is moderation's (comments/writer.py).
        register_writer_hooks()
        # The data migration creates the group once; this framework hook keeps it
        # (and its permissions) after a flush too, e.g. between transactional tests.
        post_migrate.connect(ensure_editors_group, sender=self)
        # The review screen's menus are cached (moderation/menus.py): a label or
        # reason saved or deleted shows at once.
        for model in (PickLabel, RejectReason):
            for signal in (post_save, post_delete):
                signal.connect(
                    menus.forget, sender=model, dispatch_uid=f"menus-{model}"
                )
