"""The "Editors" group, holding exactly the permissions needed to moderate."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "blog": ["view_article"],
    "comments": [
        "view_comment", "change_comment",
        "view_inboundemail", "change_inboundemail",
        "view_spamterm", "add_spamterm", "change_spamterm", "delete_spamterm",
    ],
    "moderation": [
        "view_decision",
        "view_picklabel", "add_picklabel", "change_picklabel", "delete_picklabel",
        "view_rejectreason", "add_rejectreason", "change_rejectreason",
        "delete_rejectreason",
    ],
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make
    # sure they exist now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        group.permissions.add(*perms)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("comments", "0001_initial"),
        ("blog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
