"""Editors may translate pages and snippets again: translations now start as drafts
(cms.receivers.translation_starts_as_draft), so a translation goes live only when a
moderator publishes it. Databases that ran 0006 before this gave editors nothing to
translate with; new ones already have it from 0006 (shop.roles)."""

from django.db import migrations

from shop.roles import COMMUNICATIONS_EDITORS

PERMISSION = ("simple_translation", "submit_translation")


def _permission(apps):
    return (
        apps.get_model("auth", "Permission")
        .objects.filter(content_type__app_label=PERMISSION[0], codename=PERMISSION[1])
        .first()
    )


def editors_grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, permission = (
        Group.objects.filter(name=COMMUNICATIONS_EDITORS).first(),
        _permission(apps),
    )
    if group is not None and permission is not None:
        group.permissions.add(permission)


def editors_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, permission = (
        Group.objects.filter(name=COMMUNICATIONS_EDITORS).first(),
        _permission(apps),
    )
    if group is not None and permission is not None:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("cms", "0006_site_chrome_permissions")]

    operations = [migrations.RunPython(editors_grant, editors_revoke)]
