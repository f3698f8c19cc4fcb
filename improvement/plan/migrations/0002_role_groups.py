"""Create the three role groups with the model permissions DESIGN.md gives them.

Officers' right to change an action is narrowed in code to the actions they
lead or support (improvement.kernel.permissions.can_update_action).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = {
    "visits": ["inspection", "judgement", "monitoringvisit"],
    "findings": ["theme", "finding"],
    "improvement": ["plan", "priority", "owner", "action", "progressupdate"],
}

VIEW_ALL = [
    ("view", app, model) for app, models in MODELS.items() for model in models
]

GROUPS = {
    "Board members": VIEW_ALL,
    "Officers": VIEW_ALL
    + [("change", "improvement", "action"), ("add", "improvement", "progressupdate")],
    "Improvement managers": VIEW_ALL
    + [
        (verb, app, model)
        for app, models in MODELS.items()
        for model in models
        for verb in ("add", "change")
        if model != "progressupdate"
    ]
    + [("add", "improvement", "progressupdate")],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrations finish; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(
                content_type__app_label=app, codename=f"{verb}_{model}"
            )
            for verb, app, model in perms
        ]
        group.permissions.set(wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("improvement", "0001_initial"),
        ("findings", "0001_initial"),
        ("visits", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
