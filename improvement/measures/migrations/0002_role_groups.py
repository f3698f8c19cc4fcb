"""Give the role groups their permissions on measures.

Board members read measures; officers read them and record and correct the
values of the measures they own (narrowed in code by
improvement.kernel.permissions.can_record_values); improvement managers also
define and edit measures.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [("view", "measures", "measure"), ("view", "measures", "measurevalue")]
RECORD_VALUES = [
    ("add", "measures", "measurevalue"),
    ("change", "measures", "measurevalue"),
]

GROUPS = {
    "Board members": VIEW_ALL,
    "Officers": VIEW_ALL + RECORD_VALUES,
    "Improvement managers": VIEW_ALL
    + RECORD_VALUES
    + [("add", "measures", "measure"), ("change", "measures", "measure")],
}


def grant(apps, schema_editor):
    # Permissions are normally made after migrations finish; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(
                    content_type__app_label=app, codename=f"{verb}_{model}"
                )
                for verb, app, model in perms
            ]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    measure_permissions = Permission.objects.filter(content_type__app_label="measures")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*measure_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("improvement", "0002_role_groups"),
        ("measures", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
