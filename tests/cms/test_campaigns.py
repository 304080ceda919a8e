import datetime as dt

import pytest
from django.utils import timezone

from cms.models import CampaignIndexPage
from tests.cms import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(home_pages):
    index = pages.index(CampaignIndexPage, "campaigns")
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    pages.campaign(index, title="Mùa chè mới", slug="tea-season",
                   start=today - 10 * day, end=today)  # fmt: skip
    pages.campaign(index, title="Quà Tết năm ngoái", slug="last-tet",
                   start=today - 400 * day, end=today - day)  # fmt: skip
    pages.campaign(index, title="Trung thu sắp tới", slug="mid-autumn",
                   start=today + 30 * day, end=today + 45 * day)  # fmt: skip
    return index


def test_expired_campaigns_drop_out_of_the_listing(client, campaigns):
    html = client.get(campaigns.url).content.decode()

    assert "Mùa chè mới" in html  # its last day is today
    assert "Quà Tết năm ngoái" not in html
    assert "Trung thu sắp tới" not in html  # not started yet


def test_expired_campaigns_drop_out_of_the_home_page(client, campaigns):
    html = client.get("/vi/").content.decode()

    assert "Mùa chè mới" in html
    assert "Quà Tết năm ngoái" not in html


def test_an_expired_campaign_page_says_it_has_ended(client, campaigns):
    english_index = pages.translate(campaigns)
    expired = campaigns.get_children().get(slug="last-tet").specific
    english = pages.translate(expired)
    assert english.get_parent().pk == english_index.pk

    response = client.get(english.url)

    assert response.status_code == 200
    assert "This campaign has ended." in response.content.decode()


def test_a_campaign_cannot_end_before_it_starts(campaigns):
    from django.core.exceptions import ValidationError

    campaign = campaigns.get_children().get(slug="tea-season").specific
    campaign.end_date = campaign.start_date - dt.timedelta(days=1)

    with pytest.raises(ValidationError):
        campaign.full_clean()
