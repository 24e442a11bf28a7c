"""A few pick labels and reject reasons, so a fresh install has something to pick.

A data migration runs once: editors may rename or delete these, and a deleted one
does not come back on the next deploy.
"""

from django.db import migrations

# Positions after 0..9, where editors' own first entries usually go.
PICK_LABELS = [
    "Expert view",
    "First-hand experience",
    "Dissent",
    "Correction",
    "Good question",
]
REJECT_REASONS = [
    "Off topic",
    "Personal attack or abuse",
    "Advertising",
    "Says nothing new in this thread",
    "Shares someone’s personal details",
]


def add_defaults(apps, schema_editor):
    PickLabel = apps.get_model("moderation", "PickLabel")
    RejectReason = apps.get_model("moderation", "RejectReason")
    for n, name in enumerate(PICK_LABELS):
        PickLabel.objects.get_or_create(name=name, defaults={"position": 10 + n})
    for n, text in enumerate(REJECT_REASONS):
        RejectReason.objects.get_or_create(text=text, defaults={"position": 10 + n})


def remove_defaults(apps, schema_editor):
    # Going back removes only the untouched defaults, never an editor's own.
    apps.get_model("moderation", "PickLabel").objects.filter(
        name__in=PICK_LABELS
    ).delete()
    apps.get_model("moderation", "RejectReason").objects.filter(
        text__in=REJECT_REASONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_links_and_alerts")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
