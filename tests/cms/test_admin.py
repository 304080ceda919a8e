import pytest
from django.contrib.auth import get_user_model

from cms.models import (
    CampaignIndexPage,
    EventIndexPage,
    NewsIndexPage,
    ProducerIndexPage,
    StoryIndexPage,
)
from tests.cms import pages
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, home_pages):
    user = get_user_model().objects.create_superuser(
        "editor-admin", "editor@example.com", "secret-pass-123"
    )
    client.force_login(user)
    return client


def test_every_page_type_opens_in_the_editor(admin_client):
    home = pages.home("vi")
    product = create_product()
    edited = [
        home,
        pages.story(pages.index(StoryIndexPage, "stories"), pages.products_block(product)),
        pages.event(pages.index(EventIndexPage, "events")),
        pages.campaign(
            pages.index(CampaignIndexPage, "campaigns"), title="Tết", slug="tet",
            start=product.date_created.date(), end=product.date_created.date(),
        ),
        pages.news(pages.index(NewsIndexPage, "news")),
        pages.producer_page(pages.index(ProducerIndexPage, "producers"), product.producer),
        pages.form_page(home),
    ]  # fmt: skip
    for page in edited:
        response = admin_client.get(f"/cms-admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, type(page).__name__


def test_the_product_chooser_finds_products_by_title(admin_client):
    create_product(title="Trà Tân Cương thượng hạng")
    create_product(title="Miến dong Việt Cường")

    response = admin_client.get("/cms-admin/product_chooser/results/", {"q": "thượng"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Trà Tân Cương thượng hạng" in html
    assert "Miến dong" not in html


@pytest.mark.parametrize(
    "chooser", ["producer_chooser", "sales_point_chooser", "region_chooser"]
)
def test_the_other_choosers_open(admin_client, chooser):
    pages.outlet()
    create_product()

    response = admin_client.get(f"/cms-admin/{chooser}/", {"q": "Tân"})

    assert response.status_code == 200
