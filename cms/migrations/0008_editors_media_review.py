"""Editors no longer change any image or document, only add and choose them (and edit
their own uploads, as Wagtail allows): a changed file or title shows at once on every
live page using it, past review. Moderators keep changing them (shop.roles). For
databases whose editors were granted change before."""

from django.db import migrations

from shop.roles import COMMUNICATIONS_EDITORS

MEDIA = [("wagtailimages", "change_image"), ("wagtaildocs", "change_document")]


def _editors_and_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=COMMUNICATIONS_EDITORS).first()
    permissions = [
        p
        for app_label, codename in MEDIA
        if (
            p := Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
        )
    ]
    return group, permissions


def editors_revoke(apps, schema_editor):
    group, permissions = _editors_and_permissions(apps)
    if group is None:
        return
    group.permissions.remove(*permissions)
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    GroupCollectionPermission.objects.filter(
        group=group, permission__in=permissions
    ).delete()


def editors_grant(apps, schema_editor):
    group, permissions = _editors_and_permissions(apps)
    if group is None:
        return
    group.permissions.add(*permissions)
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    root = Collection.objects.filter(depth=1).first()
    for permission in permissions if root else []:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


class Migration(migrations.Migration):
    # 0001 already follows wagtailcore's latest (collections, their permissions).
    dependencies = [("cms", "0007_editors_translate")]

    operations = [migrations.RunPython(editors_revoke, editors_grant)]
