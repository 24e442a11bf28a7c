"""Who is an editor, and the "Editors" group: exactly the permissions to moderate."""

from django.contrib.auth.models import (
    AbstractBaseUser,
    AnonymousUser,
    Group,
    Permission,
)

EDITORS_GROUP = "Editors"
# The permission that makes a staff account an editor: deciding about comments.
EDIT_PERMISSION = "comments.change_comment"
EDITOR_PERMISSIONS = {
    "blog": ["view_article"],
    "comments": [
        "view_comment", "change_comment",
        "view_inboundemail", "change_inboundemail",
        "view_spamterm", "add_spamterm", "change_spamterm", "delete_spamterm",
        "view_writeraddress",
    ],
    "moderation": [
        "view_decision",
        "view_picklabel", "add_picklabel", "change_picklabel", "delete_picklabel",
        "view_rejectreason", "add_rejectreason", "change_rejectreason",
        "delete_rejectreason",
    ],
}  # fmt: skip


def is_editor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Signed in, active, staff, and allowed to change comments: the one test of
    an editor (the editors' screens, the notice links, the admin index summary)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(EDIT_PERMISSION)
    )


def ensure_editors_group(**kwargs: object) -> Group:
    """Create the Editors group if missing and give it the moderation permissions."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        group.permissions.add(*perms)
    return group
