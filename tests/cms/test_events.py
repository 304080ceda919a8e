import datetime as dt

import pytest
from django.utils import timezone

from cms.models import EventIndexPage, EventPageProduct
from tests.cms import pages
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(home_pages):
    return pages.index(EventIndexPage, "events")


def ics_lines(response) -> list[str]:
    body = response.content.decode()
    assert body.endswith("\r\n")
    lines = body.split("\r\n")[:-1]
    # RFC 5545: lines of at most 75 octets, continued after a leading space.
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = []
    for line in lines:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return unfolded


def test_event_ics_download_is_a_valid_calendar(client, events):
    event = pages.event(
        events, latitude="21.592500", longitude="105.844200",
        intro="Hội chợ, trình diễn pha chè, thi sao chè; mở cửa tự do. " * 3,
    )  # fmt: skip

    response = client.get(event.url + "calendar/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = ics_lines(response)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    start = event.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    end = event.end.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert f"DTEND:{end}" in lines
    assert "SUMMARY;LANGUAGE=vi:Lễ hội Trà Thái Nguyên" in lines
    assert "GEO:21.592500;105.844200" in lines
    assert any(
        line.startswith("DESCRIPTION;LANGUAGE=vi:Hội chợ\\, trình diễn")
        for line in lines
    )
    assert f"URL:http://testserver{event.url}" in lines


def test_the_english_calendar_file_is_the_same_event(client, events):
    event = pages.event(events)
    pages.translate(events)
    english = pages.translate(event)

    vi_lines = ics_lines(client.get(event.url + "calendar/"))
    en_lines = ics_lines(client.get(english.url + "calendar/"))

    uid = [line for line in vi_lines if line.startswith("UID:")]
    assert uid and uid == [line for line in en_lines if line.startswith("UID:")]
    assert any(line.startswith("SUMMARY;LANGUAGE=en:") for line in en_lines)


def test_event_page_links_its_calendar_file(client, events):
    event = pages.event(events)

    html = client.get(event.url).content.decode()

    assert f'href="{event.url}calendar/"' in html


def test_events_are_listed_upcoming_then_past(client, events):
    pages.event(events, title="Hội chợ sắp tới", slug="coming", starts_in_days=5)
    pages.event(events, title="Đang diễn ra", slug="running", starts_in_days=-1)
    pages.event(
        events, title="Hội chợ năm ngoái", slug="last-year", starts_in_days=-300
    )

    html = client.get(events.url).content.decode()

    upcoming, past = html.split('class="events-past"')
    assert "Đang diễn ra" in upcoming and "Hội chợ sắp tới" in upcoming
    assert upcoming.index("Đang diễn ra") < upcoming.index("Hội chợ sắp tới")
    assert "Hội chợ năm ngoái" in past and "Hội chợ năm ngoái" not in upcoming


def test_event_page_shows_participating_products_live(client, events):
    event = pages.event(events)
    tea = create_product(title="Trà Tân Cương hội chợ")
    lapsed = create_product(title="Miến hết hạn")
    EventPageProduct.objects.create(page=event, product=tea)
    EventPageProduct.objects.create(page=event, product=lapsed)
    lapsed.certificates.update(expires_on=timezone.localdate())

    html = client.get(event.url).content.decode()

    assert html.count('class="star-badge"') == 1
    assert "Miến hết hạn" in html and "product-lapsed__note" in html


def test_an_event_cannot_end_before_it_starts(events):
    from django.core.exceptions import ValidationError

    event = pages.event(events)
    event.end = event.start - dt.timedelta(hours=1)

    with pytest.raises(ValidationError):
        event.full_clean()


def test_home_page_lists_only_upcoming_events(client, events):
    pages.event(events, title="Lễ hội sắp tới", slug="soon", starts_in_days=3)
    pages.event(events, title="Lễ hội đã qua", slug="gone", starts_in_days=-30)

    html = client.get("/vi/").content.decode()

    assert "Lễ hội sắp tới" in html
    assert "Lễ hội đã qua" not in html


def test_event_ics_links_to_the_public_address_when_it_is_set(client, events, settings):
    # given a public address other than the one the request came to
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example/"
    event = pages.event(events)

    # when the calendar file is downloaded
    lines = ics_lines(client.get(event.url + "calendar/"))

    # then the saved event links to the public site, not to the request's host
    assert f"URL:https://ocop.example{event.url}" in lines
