"""Make sure a local editor account exists, and print how to sign in (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from config.commands import DocumentedCommand
from moderation.permissions import EDITORS_GROUP

USERNAME, PASSWORD = "editor", "editor"


class Command(DocumentedCommand):
    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("refusing: a known password is only for DEBUG runs")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"email": "editor@localhost", "is_staff": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/admin/ as '{USERNAME}' with password "
            f"'{PASSWORD}' (local DEBUG account)."
        )
