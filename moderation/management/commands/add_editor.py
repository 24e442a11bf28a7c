"""Create an editor account, or promote an existing user, by email address.

The user joins the "Editors" group and gets staff access to the admin. A new
account gets a random password and the command prints how to set one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from config.commands import DocumentedCommand
from moderation.permissions import EDITORS_GROUP


class Command(DocumentedCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the editor's email address")
        parser.add_argument("--username", help="defaults to the email address")

    @transaction.atomic
    def handle(
        self, *args: object, email: str, username: str | None, **options: object
    ) -> None:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"not an email address: {email!r}") from exc
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User(username=username or email, email=email)
            user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        verb = "created" if created else "promoted"
        self.stdout.write(f"editor {verb}: {user.get_username()} <{email}>")
        if created or not user.has_usable_password():
            self.stdout.write(
                "set a password with: python manage.py changepassword "
                f"{user.get_username()}"
            )
