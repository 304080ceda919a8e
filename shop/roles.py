"""The staff roles and what each may do. Buyers need no group.

`roles_sync` is idempotent and tolerant of permissions whose models do not exist yet, so
each later migration that adds models can call it again (see shop/migrations)."""

from django.contrib.auth.management import create_permissions

SALES_POINT_STAFF = "Sales point staff"
NETWORK_MANAGERS = "Network managers"
CATALOGUE_MANAGERS = "Catalogue managers"
COMMUNICATIONS_EDITORS = "Communications editors"
COMMUNICATIONS_MODERATORS = "Communications moderators"

_CRUD = ("add", "change", "delete", "view")


def _model_perms(app_label: str, *models: str, actions=_CRUD) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def _media(*actions: str) -> list[str]:
    return [
        "wagtailadmin.access_admin",
        *_model_perms("wagtailimages", "image", actions=actions),
        *_model_perms("wagtaildocs", "document", actions=actions),
    ]


# Changing an image or document (its file, or the title used as alt text) shows at once
# on every live page using it, past review: editors upload and choose (Wagtail still
# lets them edit their own uploads), moderators change any.
_EDITOR_MEDIA = _media("add", "choose")
_MODERATOR_MEDIA = _media("add", "change", "choose")

# The site chrome (menus, footers, promo banners, social links; cms/snippets.py):
# editors draft and translate them, moderators also publish and delete them.
_CHROME = ("navigationmenu", "footercontent", "promobanner")
# Translations of pages and snippets start as drafts (cms.receivers), so editors may
# make them: they go live, like everything an editor writes, when a moderator publishes.
_CHROME_EDITOR = [
    *_model_perms("cms", *_CHROME, actions=("add", "change", "view")),
    "cms.view_sociallinks",
    "simple_translation.submit_translation",
]
_CHROME_MODERATOR = [
    *_model_perms(
        "cms", *_CHROME, actions=("add", "change", "delete", "view", "publish")
    ),
    "cms.change_sociallinks",
    "cms.view_sociallinks",
    "simple_translation.submit_translation",
]

# What anyone working at an outlet does; which outlets is sales_points.permissions' job.
_OUTLET_WORK = [
    "sales_points.view_salespoint",
    "sales_points.view_stockmovement",
    *_model_perms("sales_points", "countersale", actions=("add", "view")),
    *_model_perms("sales_points", "transfer", actions=("add", "change", "view")),
]

# Exchange rates for approximate foreign prices: set and corrected, never deleted (history).
_EXCHANGE_RATES = _model_perms(
    "shop", "exchangerate", actions=("add", "change", "view")
)

# Model permissions ("app_label.codename") per group.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    SALES_POINT_STAFF: [
        "partner.dashboard_access",
        "partner.view_stockrecord",
        "order.view_order",
        *_OUTLET_WORK,
    ],
    NETWORK_MANAGERS: [
        "partner.dashboard_access",
        *_model_perms("partner", "partner", "stockrecord"),
        *_model_perms("order", "order", actions=("change", "view")),
        *_OUTLET_WORK,
        *_model_perms("sales_points", "salespoint"),
        "sales_points.manage_network",
        *_EXCHANGE_RATES,
        # Delivery rate tables (Oscar's shipping dashboard).
        *_model_perms("shipping", "weightbased", "weightband"),
    ],
    CATALOGUE_MANAGERS: [
        "partner.dashboard_access",
        *_model_perms(
            "catalogue",
            "product",
            "category",
            "productclass",
            "productimage",
            "producer",
            "certificate",
        ),
        "catalogue.view_administrativeunit",
        "catalogue.view_productgroup",
        "catalogue.view_issuingauthority",
        *_EXCHANGE_RATES,
    ],  # fmt: skip
    COMMUNICATIONS_EDITORS: [*_EDITOR_MEDIA, *_CHROME_EDITOR],
    COMMUNICATIONS_MODERATORS: [*_MODERATOR_MEDIA, *_CHROME_MODERATOR],
}

# Wagtail page permissions on the whole tree, per group.
PAGE_PERMISSIONS: dict[str, list[str]] = {
    COMMUNICATIONS_EDITORS: ["add_page", "change_page"],
    COMMUNICATIONS_MODERATORS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ],
}

# Wagtail collection permissions on the root collection, per group.
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    group: [p.split(".", 1)[1] for p in media if not p.startswith("wagtailadmin.")]
    for group, media in (
        (COMMUNICATIONS_EDITORS, _EDITOR_MEDIA),
        (COMMUNICATIONS_MODERATORS, _MODERATOR_MEDIA),
    )
}


def roles_sync(apps, schema_editor=None) -> None:
    """Create the groups and grant what exists of their permissions (historical models)."""
    for app_config in apps.get_app_configs():
        historical = getattr(app_config, "models_module", None) is None  # migrations
        if historical:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        if historical:
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def find(app_label: str, codename: str):
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = [find(*perm.split(".", 1)) for perm in perms]
        group.permissions.add(*[p for p in found if p is not None])

    _grant_tree_permissions(apps, find)


def _grant_tree_permissions(apps, find) -> None:
    Group = apps.get_model("auth", "Group")
    try:
        Page = apps.get_model("wagtailcore", "Page")
        Collection = apps.get_model("wagtailcore", "Collection")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        GroupCollectionPermission = apps.get_model(
            "wagtailcore", "GroupCollectionPermission"
        )
    except LookupError:
        return
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        for codename in codenames:
            permission = find("wagtailcore", codename)
            if root_page and permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
    for name, codenames in COLLECTION_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        for codename in codenames:
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            permission = find(app_label, codename)
            if root_collection and permission:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
