"""The public traceability page, its QR codes and the printable stamp sheet."""

import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape
from freezegun import freeze_time
from oscar.test.factories import ProductImageFactory, create_stockrecord
from PIL import Image

from catalogue import services
from catalogue.models import Certificate, Producer
from catalogue.selectors import unit_history
from catalogue.trace_pdf import FONT_BOLD, FONT_REGULAR, stamp_fonts
from shop.roles import CATALOGUE_MANAGERS
from tests.factories import (
    ProducerFactory,
    UserFactory,
    authority,
    create_product,
    issue_certificate,
)

pytestmark = pytest.mark.django_db

# The product, its certificates, stock records with partners, images, the origin's
# successors, and the layout's navigation pages: however much the product has.
PAGE_QUERY_LIMIT = 6


def trace_path(product, suffix=""):
    return f"/t/{product.trace_code}/{suffix}"


def shows(response, text) -> bool:
    return escape(str(text)) in response.content.decode()


def decode_qr_codes(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def pdf_pages(content: bytes) -> tuple[int, list[str], Image.Image]:
    """Page count, each page's text, and page 1 rendered at 200 dpi."""
    pdf = pypdfium2.PdfDocument(content)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    image = pdf[0].render(scale=200 / 72).to_pil()
    return len(pdf), texts, image


@pytest.fixture
def full_product(db):
    """A certified product with every fact the page shows, in both languages."""
    producer = ProducerFactory(
        name_vi="Hợp tác xã chè Hảo Đạt",
        name_en="Hao Dat Tea Cooperative",
        address="Xóm Soi, xã Tân Cương, tỉnh Thái Nguyên",
        phone="0208 3855 123",
    )
    product = create_product(
        title="Trà xanh Tân Cương",
        title_en="Tan Cuong Green Tea",
        producer=producer,
        growing_area_code="VN-TNTEA-0042",
    )
    ProductImageFactory(product=product, caption="")
    create_stockrecord(
        product,
        price=Decimal("150000"),
        num_in_stock=3,
        partner_name="Điểm bán Đồng Hỷ",
    )
    create_stockrecord(
        product, price=Decimal("150000"), num_in_stock=0, partner_name="Kho hết hàng"
    )
    return product


@pytest.fixture
def manager(db):
    return UserFactory(groups=[CATALOGUE_MANAGERS])


# --- The page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "producer_name", "other_title"),
    [
        ("vi", "Trà xanh Tân Cương", "Hợp tác xã chè Hảo Đạt", "Tan Cuong Green Tea"),
        ("en", "Tan Cuong Green Tea", "Hao Dat Tea Cooperative", "Trà xanh Tân Cương"),
    ],
)
def test_trace_page_shows_every_fact_in_the_visitors_language(
    client, full_product, lang, title, producer_name, other_title
):
    certificate = full_product.certificates.get()
    with translation.override(lang):
        origin = unit_history(full_product.origin).text
        issuer = certificate.authority.name
        kind = str(Producer.Kind.COOPERATIVE.label)
        signed = formats.date_format(certificate.signed_on, "DATE_FORMAT")
        expires = formats.date_format(certificate.expires_on, "DATE_FORMAT")
        shop_url = full_product.get_absolute_url()

    response = client.get(trace_path(full_product), HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}"' in response.content.decode()
    assert "site-header" in response.content.decode()  # the site layout
    for fact in (
        title,
        producer_name,
        kind,
        "Xóm Soi, xã Tân Cương, tỉnh Thái Nguyên",
        "0208 3855 123",
        origin,
        "VN-TNTEA-0042",
        "OCOP ★★★★",
        "80/100",
        certificate.decision_number,
        issuer,
        signed,
        expires,
        full_product.trace_code,
        "Điểm bán Đồng Hỷ",
    ):
        assert shows(response, fact), fact
    assert not shows(response, other_title)
    assert not shows(response, "Kho hết hàng")  # a partner with nothing in stock
    assert f'href="{shop_url}"' in response.content.decode()
    assert full_product.primary_image().original.url in response.content.decode()
    assert "certificate--valid" in response.content.decode()
    assert "certificate--invalid" not in response.content.decode()
    assert "text-danger" not in response.content.decode()


def test_trace_page_language_follows_the_language_cookie(client, full_product):
    client.cookies["django_language"] = "en"

    response = client.get(trace_path(full_product))

    assert response["Content-Language"] == "en"
    assert shows(response, "Tan Cuong Green Tea")


def test_trace_page_lang_parameter_switches_language_and_remembers_it(
    client, full_product
):
    response = client.get(trace_path(full_product), {"lang": "en"})

    assert response["Content-Language"] == "en"
    assert shows(response, "Tan Cuong Green Tea")
    assert response.cookies["django_language"].value == "en"


def test_trace_page_for_an_unknown_code_is_not_found(client, product):
    # follow: LocaleMiddleware first tries the path under /vi/ (Wagtail's catch-all).
    assert client.get("/t/ZZZZZZZZ/", follow=True).status_code == 404
    assert client.get("/t/ABC/", follow=True).status_code == 404


def test_trace_code_is_matched_whatever_its_case(client, product):
    response = client.get(f"/t/{product.trace_code.lower()}/")

    assert response.status_code == 200
    assert shows(response, product.trace_code)


def test_trace_page_marks_an_expired_certificate_even_before_the_nightly_job(
    client, product
):
    certificate = product.certificates.get()
    assert certificate.status == Certificate.Status.ACTIVE

    with freeze_time(certificate.expires_on + dt.timedelta(days=1)):
        response = client.get(trace_path(product), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "certificate--invalid" in content
    assert "text-danger" in content
    assert "certificate--valid" not in content
    assert shows(response, "Not valid")
    assert shows(response, Certificate.Status.EXPIRED.label)
    assert shows(response, certificate.decision_number)
    assert "trace-where-to-buy__list" not in content  # not for sale, so nowhere to buy


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (services.certificate_revoke, Certificate.Status.REVOKED),
        (
            services.certificate_start_reassessment,
            Certificate.Status.UNDER_REASSESSMENT,
        ),
    ],
)
def test_trace_page_marks_a_revoked_or_reassessed_certificate(
    client, product, change, status
):
    certificate = product.certificates.get()
    change(certificate=certificate, reason="Nhãn không đúng quy định")

    response = client.get(trace_path(product), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "certificate--invalid" in content
    assert "text-danger" in content
    assert shows(response, status.label)
    assert shows(response, "Nhãn không đúng quy định")
    assert shows(response, certificate.decision_number)  # still shown, as history


def test_trace_page_lists_the_certificates_a_renewal_replaced(client):
    product = create_product(certified=False)
    first = issue_certificate(product, stars=3, signed_on=dt.date(2023, 3, 1))
    renewal = services.certificate_renew(
        certificate=first,
        stars=4,
        score=82,
        decision_number="QĐ-2026-TAI-CONG-NHAN",
        authority=authority("ubnd-thai-nguyen-2025"),
        signed_on=dt.date(2026, 2, 1),
    )

    response = client.get(trace_path(product), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "certificate--valid" in content
    history = content[content.index("trace-history") :]
    assert renewal.decision_number in content[: content.index("trace-history")]
    assert first.decision_number in history
    assert f"renewed by decision {renewal.decision_number}" in history


def test_trace_page_of_a_product_off_the_shop_has_no_shop_link(client, product):
    product.is_public = False
    product.save()

    response = client.get(trace_path(product))

    assert response.status_code == 200
    assert "trace__shop-link" not in response.content.decode()


def test_trace_page_costs_a_fixed_number_of_queries(
    client, product, full_product, django_assert_max_num_queries
):
    # Given a second product with more of everything: certificates, stock, images.
    old = full_product.certificates.get()
    services.certificate_revoke(certificate=old, reason="test")
    issue_certificate(full_product, stars=5, renews=old)
    for i in range(4):
        create_stockrecord(full_product, num_in_stock=5, partner_name=f"Outlet {i}")
        ProductImageFactory(product=full_product)

    client.get(trace_path(product))  # the site's menu and footer are cached after
    with CaptureQueriesContext(connection) as small:
        client.get(trace_path(product))
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(trace_path(full_product))

    assert response.status_code == 200
    with CaptureQueriesContext(connection) as large:
        client.get(trace_path(full_product))
    assert len(large) == len(small)


# --- QR codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("", "http://testserver/t/{code}/"),
        ("https://ocop.example", "https://ocop.example/t/{code}/"),
        ("https://ocop.example/", "https://ocop.example/t/{code}/"),
    ],
)
def test_qr_png_encodes_the_trace_page_url(
    client, settings, product, base_url, expected
):
    settings.OCOP_PUBLIC_BASE_URL = base_url

    response = client.get(trace_path(product, "qr.png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert decode_qr_codes(image) == [expected.format(code=product.trace_code)]


def test_qr_svg_is_an_svg_image(client, product):
    response = client.get(f"/t/{product.trace_code.lower()}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert ET.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"


def test_qr_for_an_unknown_code_is_not_found(client, db):
    assert client.get("/t/ZZZZZZZZ/qr.png", follow=True).status_code == 404


# --- Stamp sheets --------------------------------------------------------------------


def test_stamp_sheet_labels_carry_the_facts_and_a_qr_code_to_the_trace_page(
    client, settings, manager
):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example"
    product = create_product(title="Trà đặc sản Tân Cương ưu hạng", stars=5)
    certificate = product.certificates.get()
    client.force_login(manager)

    response = client.get(trace_path(product, "stamps.pdf"), {"count": 3})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, texts, image = pdf_pages(response.content)
    assert pages == 1
    url = f"https://ocop.example/t/{product.trace_code}/"
    assert decode_qr_codes(image) == [url] * 3
    text = texts[0]
    assert text.count(product.trace_code) == 3
    assert "Trà đặc sản Tân Cương" in text  # diacritics survive: a real TTF is embedded
    assert certificate.decision_number in text
    assert formats.date_format(certificate.expires_on, "SHORT_DATE_FORMAT") in text
    assert "OCOP" in text


@pytest.mark.parametrize(("count", "per_page"), [(None, [24]), (1, [1]), (30, [24, 6])])
def test_stamp_sheet_has_as_many_labels_as_asked(
    client, manager, product, count, per_page
):
    client.force_login(manager)
    query = {} if count is None else {"count": count}

    response = client.get(trace_path(product, "stamps.pdf"), query)

    pages, texts, _image = pdf_pages(response.content)
    assert pages == len(per_page)
    assert [text.count(product.trace_code) for text in texts] == per_page


@pytest.mark.parametrize("count", ["0", "501", "-1", "2.5", "abc", ""])
def test_stamp_sheet_refuses_a_bad_count(client, manager, product, count):
    client.force_login(manager)

    response = client.get(trace_path(product, "stamps.pdf"), {"count": count})

    assert response.status_code == 400
    assert "500" in response.content.decode()


def test_stamp_sheet_sends_anonymous_visitors_to_log_in(client, product):
    path = trace_path(product, "stamps.pdf")
    with translation.override("vi"):
        login = reverse("customer:login")

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(login)
    assert "next=" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("customer", 403),
        ("other_producers_representative", 403),
        ("representative", 200),
        ("catalogue_manager", 200),
        ("superuser", 200),
    ],
)
def test_stamp_sheet_is_for_catalogue_managers_and_the_producer_only(
    client, product, who, status
):
    if who == "catalogue_manager":
        user = UserFactory(groups=[CATALOGUE_MANAGERS])
    elif who == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = UserFactory()
    if who == "representative":
        product.producer.representatives.add(user)
    elif who == "other_producers_representative":
        ProducerFactory().representatives.add(user)
    client.force_login(user)

    response = client.get(trace_path(product, "stamps.pdf"), {"count": 1})

    assert response.status_code == status


def test_stamp_sheet_is_refused_for_a_product_without_a_valid_certificate(
    client, manager
):
    product = create_product()
    services.certificate_revoke(
        certificate=product.certificates.get(), reason="Vi phạm"
    )
    uncertified = create_product(certified=False)
    client.force_login(manager)

    revoked = client.get(trace_path(product, "stamps.pdf"), HTTP_ACCEPT_LANGUAGE="en")
    missing = client.get(
        trace_path(uncertified, "stamps.pdf"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert revoked.status_code == 409
    assert "revoked" in revoked.content.decode()
    assert missing.status_code == 409
    assert "no OCOP certificate" in missing.content.decode()


def test_stamp_fonts_cover_vietnamese(db):
    # Helvetica has no ư, ơ, ạ...: the sheet must embed a TTF that has them.
    assert stamp_fonts() == (FONT_REGULAR, FONT_BOLD)
