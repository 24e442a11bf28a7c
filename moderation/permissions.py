"""The "Editors" group: exactly the permissions needed to moderate."""

from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"
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


def ensure_editors_group(**kwargs: object) -> Group:
    """Create the Editors group if missing and give it the moderation permissions."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        group.permissions.add(*perms)
    return group
