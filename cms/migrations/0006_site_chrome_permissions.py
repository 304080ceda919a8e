"""Communications staff edit the site chrome: editors draft menus, footers and banners
(and translate them); moderators also publish them, delete them and set the social
links. As for pages, what an editor writes goes live only when a moderator publishes
it. The groups come from shop.roles (shop migrations)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from shop.roles import (
    COMMUNICATIONS_EDITORS,
    COMMUNICATIONS_MODERATORS,
    ROLE_PERMISSIONS,
)

_CHROME = ("navigationmenu", "footercontent", "promobanner")

# shop.roles lists every role's permissions; these are the chrome's.
CHROME_PERMISSIONS = {
    group: [
        p
        for p in ROLE_PERMISSIONS[group]
        if p.startswith(("cms.", "simple_translation."))
    ]
    for group in (COMMUNICATIONS_EDITORS, COMMUNICATIONS_MODERATORS)
}


def permissions_grant(apps, schema_editor):
    for label in ("cms", "simple_translation"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # historical apps: let Django create them
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Wagtail adds "publish" to draftable snippets after migrating (post_migrate): too
    # late for this migration, so make them the same way here.
    for model in _CHROME:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="cms", model=model
        )
        verbose_name = apps.get_model("cms", model)._meta.verbose_name_raw
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"publish_{model}",
            defaults={"name": f"Can publish {verbose_name}"},
        )
    for name, perms in CHROME_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def permissions_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in CHROME_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_site_chrome"),
        ("shop", "0001_roles"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(permissions_grant, permissions_revoke)]
