import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit
from shop.address_forms import (
    ContactForm,
    DeliveryAddressForm,
    to_shipping_address_fields,
)
from shop.addresses import (
    address_resolve,
    communes_of,
    phone_normalize,
    provinces_current,
    vietnamese_sort_key,
)
from tests.factories import unit

AFTER = dt.date(2026, 1, 1)
BEFORE = dt.date(2025, 6, 30)

# Phone numbers.


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84912345678",
        "+84 912 345 678",
        "+84 (0) 912 345 678",
        "84912345678",
        "0084 912 345 678",
    ],
)
def test_a_mobile_number_in_any_usual_writing_becomes_e164(raw):
    assert phone_normalize(raw) == "+84912345678"


@pytest.mark.parametrize(
    "raw",
    ["0326123456", "0529123456", "0559123456", "0703123456", "0789123456",
     "0812345678", "0869123456", "0878123456", "0898123456", "0990123456"],
)  # fmt: skip
def test_every_post_2018_mobile_range_is_accepted(raw):
    assert phone_normalize(raw) == "+84" + raw[1:]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0712345678", "phone_prefix"),  # 071 is not a mobile range
        ("0512345678", "phone_prefix"),
        ("0312345678", "phone_prefix"),
        ("0801234567", "phone_prefix"),
        ("091234567", "phone_invalid"),  # too short
        ("09123456789", "phone_invalid"),  # too long
        ("0912 345 67a", "phone_invalid"),
        ("", "required"),
        ("02083855123", "phone_landline"),  # Thái Nguyên landline
        ("024 3825 1234", "phone_landline"),  # Hà Nội landline
        ("01689123456", "phone_old_format"),  # an 11-digit number from before 2018
        ("+33612345678", "phone_foreign"),
    ],
)
def test_numbers_that_cannot_take_a_delivery_call_are_refused(raw, code):
    with pytest.raises(ValidationError) as error:
        phone_normalize(raw)

    assert error.value.code == code


def test_a_landline_is_refused_with_the_reason():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            phone_normalize("0208 385 5123")

        assert "mobile number" in error.value.messages[0]


# Provinces.


@pytest.mark.django_db
def test_34_provincial_units_are_in_force_after_the_reform():
    provinces = provinces_current(on=AFTER)

    assert len(provinces) == 34
    assert sum(p.kind_vi == "thành phố" for p in provinces) == 6
    names = [p.name_vi for p in provinces]
    assert names[:5] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ"]
    assert names.index("Đà Nẵng") > names.index("Cần Thơ")  # Đ comes after D, not A
    assert "Hà Giang" not in names and "Bắc Kạn" not in names


@pytest.mark.django_db
def test_63_provincial_units_were_in_force_the_day_before():
    provinces = provinces_current(on=BEFORE)

    assert len(provinces) == 63
    codes = {p.code for p in provinces}
    assert {"thai-nguyen-1997", "bac-kan-1997", "ha-noi", "hue"} <= codes
    assert "thua-thien-hue" not in codes  # a centrally run city since 1 January 2025
    assert len(provinces_current(on=dt.date(2024, 12, 31))) == 63


@pytest.mark.django_db
def test_the_merged_province_keeps_the_right_name_and_code():
    lao_cai = unit("lao-cai-2025")

    assert set(lao_cai.predecessors.values_list("code", flat=True)) == {
        "yen-bai-pre2025",
        "lao-cai-pre2025",
    }
    assert lao_cai.official_code == "15"  # the old Yên Bái's: the centre is there
    assert unit("thai-nguyen-1997").successors.get() == unit("thai-nguyen-2025")


@pytest.mark.django_db
def test_loading_the_provinces_again_changes_nothing():
    from django.apps import apps

    from catalogue.reference_provinces import reference_provinces_load

    before = AdministrativeUnit.objects.count()
    reference_provinces_load(apps)

    assert AdministrativeUnit.objects.count() == before
    assert unit("ha-giang-pre2025").successors.count() == 1


@pytest.mark.django_db
def test_communes_of_a_province_are_the_known_ones_in_force():
    assert communes_of(unit("thai-nguyen-2025"), on=AFTER) == [unit("tan-cuong-2025")]
    assert communes_of(unit("lang-son"), on=AFTER) == []  # free text


def test_vietnamese_order_puts_d_bar_after_d_and_tones_after_letters():
    names = ["Đồng Nai", "Điện Biên", "Dak", "Cần Thơ", "Cà Mau", "Cao Bằng", "Lào Cai"]

    assert sorted(names, key=vietnamese_sort_key) == [
        "Cà Mau", "Cao Bằng", "Cần Thơ", "Dak", "Điện Biên", "Đồng Nai", "Lào Cai",
    ]  # fmt: skip


# Mapping older addresses.


@pytest.mark.django_db
def test_a_current_address_is_not_mapped():
    resolved = address_resolve(
        province=unit("thai-nguyen-2025"), commune=unit("tan-cuong-2025"), on=AFTER
    )

    assert resolved.province == unit("thai-nguyen-2025")
    assert resolved.commune == unit("tan-cuong-2025")
    assert resolved.commune_text == "xã Tân Cương"
    assert resolved.was_mapped is False and resolved.note == ""


@pytest.mark.django_db
def test_bac_kan_maps_to_thai_nguyen():
    resolved = address_resolve(
        province=unit("bac-kan-1997"), commune_name="Nam Mẫu", on=AFTER
    )

    assert resolved.province == unit("thai-nguyen-2025")
    assert resolved.commune is None and resolved.commune_text == "Nam Mẫu"
    assert resolved.was_mapped is True


@pytest.mark.django_db
def test_ha_giang_maps_to_tuyen_quang():
    with translation.override("en"):
        resolved = address_resolve(province=unit("ha-giang-pre2025"), on=AFTER)

    assert resolved.province == unit("tuyen-quang-2025")
    assert resolved.note == (
        "Your older address was mapped to Tuyen Quang province: please check it."
    )


@pytest.mark.django_db
def test_an_unchanged_province_is_its_own_unit_before_and_after():
    for day in (BEFORE, AFTER):
        resolved = address_resolve(province=unit("lang-son"), on=day)
        assert resolved.province == unit("lang-son") and not resolved.was_mapped


@pytest.mark.django_db
@pytest.mark.parametrize("old", ["tan-cuong-pre2025", "thinh-duc"])
def test_an_old_tan_cuong_address_maps_to_the_new_commune(old):
    with translation.override("vi"):
        resolved = address_resolve(
            province=unit("thai-nguyen-1997"),
            district=unit("tp-thai-nguyen"),
            commune=unit(old),
            on=AFTER,
        )

    assert resolved.province == unit("thai-nguyen-2025")
    assert resolved.commune == unit("tan-cuong-2025")
    assert resolved.was_mapped is True
    assert "xã Tân Cương, tỉnh Thái Nguyên" in resolved.note


@pytest.mark.django_db
def test_binh_son_of_song_cong_maps_to_tan_cuong_without_its_district():
    resolved = address_resolve(
        province=unit("thai-nguyen-1997"), commune=unit("binh-son"), on=AFTER
    )

    assert resolved.commune == unit("tan-cuong-2025")


@pytest.mark.django_db
def test_a_retired_commune_without_a_successor_asks_for_the_current_one():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            address_resolve(
                province=unit("thai-nguyen-1997"),
                district=unit("dai-tu"),
                commune=unit("la-bang"),
                on=AFTER,
            )

        (message,) = error.value.message_dict["commune"]
        assert message == (
            "La Bang commune has not existed since July 1, 2025 and we cannot tell "
            "which commune or ward replaced it: please choose your current commune or "
            "ward."
        )
    assert error.value.error_dict["commune"][0].code == "retired_without_successor"


@pytest.mark.django_db
def test_a_district_alone_still_gives_the_province():
    resolved = address_resolve(
        province=unit("thai-nguyen-1997"),
        district=unit("dai-tu"),
        commune_name="La Bằng",
        on=AFTER,
    )

    assert resolved.province == unit("thai-nguyen-2025")
    assert resolved.commune is None and resolved.was_mapped
    assert "La Bằng" in resolved.note


@pytest.mark.django_db
def test_a_commune_split_between_two_cannot_be_chosen_for_the_buyer():
    split = AdministrativeUnit.objects.create(
        code="split-x", level="commune", kind_vi="xã", kind_en="commune",
        name_vi="X", name_en="X", parent=unit("tp-thai-nguyen"),
        valid_to=BEFORE,
    )  # fmt: skip
    other = AdministrativeUnit.objects.create(
        code="new-y", level="commune", kind_vi="xã", kind_en="commune",
        name_vi="Y", name_en="Y", parent=unit("thai-nguyen-2025"),
        valid_from=dt.date(2025, 7, 1),
    )  # fmt: skip
    split.successors.add(unit("tan-cuong-2025"), other)

    with pytest.raises(ValidationError) as error:
        address_resolve(province=unit("thai-nguyen-1997"), commune=split, on=AFTER)

    assert error.value.error_dict["commune"][0].code == (
        "retired_with_several_successors"
    )


@pytest.mark.django_db
def test_units_that_do_not_nest_are_refused():
    with pytest.raises(ValidationError) as error:
        address_resolve(
            province=unit("ha-giang-pre2025"), district=unit("dai-tu"), on=AFTER
        )

    assert error.value.error_dict["district"][0].code == "not_within"


@pytest.mark.django_db
def test_a_commune_of_another_province_is_refused():
    with pytest.raises(ValidationError) as error:
        address_resolve(
            province=unit("lang-son"), commune=unit("tan-cuong-2025"), on=AFTER
        )

    assert "commune" in error.value.error_dict


# Forms.


def address_data(**overrides):
    data = {
        "full_name": "Nguyễn Thị Hoa",
        "phone": "0912 345 678",
        "street": "Tổ 5, xóm Nam Đồng",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_a_two_level_address_with_a_known_commune_is_valid():
    form = DeliveryAddressForm(
        address_data(
            province=unit("thai-nguyen-2025").pk, commune=unit("tan-cuong-2025").pk
        ),
        on=AFTER,
    )

    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["phone"] == "+84912345678"
    assert data["province"] == unit("thai-nguyen-2025")
    assert data["commune"] == unit("tan-cuong-2025")
    assert data["was_mapped"] is False and data["mapping_note"] == ""


@pytest.mark.django_db
def test_a_commune_we_do_not_know_is_typed():
    form = DeliveryAddressForm(
        address_data(province=unit("lang-son").pk, commune_name="Phường Lương Văn Tri"),
        on=AFTER,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] is None
    assert form.cleaned_data["commune_name"] == "Phường Lương Văn Tri"


@pytest.mark.django_db
def test_the_commune_is_required_one_way_or_the_other():
    form = DeliveryAddressForm(address_data(province=unit("lang-son").pk), on=AFTER)

    assert not form.is_valid()
    assert list(form.errors) == ["commune_name"]


@pytest.mark.django_db
def test_bad_phone_missing_name_and_street_are_field_errors():
    form = DeliveryAddressForm(
        address_data(
            phone="0241234567", full_name="", street="", province=unit("lang-son").pk,
            commune_name="Hoàng Đồng",
        ),
        on=AFTER,
    )  # fmt: skip

    assert not form.is_valid()
    assert set(form.errors) == {"phone", "full_name", "street"}


@pytest.mark.django_db
def test_a_province_is_required():
    form = DeliveryAddressForm(address_data(commune_name="Tân Cương"), on=AFTER)

    assert not form.is_valid()
    assert list(form.errors) == ["province"]


@pytest.mark.django_db
def test_a_retired_province_is_not_offered_in_the_current_form():
    form = DeliveryAddressForm(
        address_data(province=unit("bac-kan-1997").pk, commune_name="Nam Mẫu"),
        on=AFTER,
    )

    assert not form.is_valid()
    assert list(form.errors) == ["province"]
    assert len(form.fields["province"].choices) == 35  # the empty choice + 34


@pytest.mark.django_db
def test_the_older_three_level_address_is_mapped_with_a_note():
    with translation.override("en"):
        form = DeliveryAddressForm(
            address_data(
                old_province=unit("thai-nguyen-1997").pk,
                old_district=unit("tp-thai-nguyen").pk,
                old_commune=unit("thinh-duc").pk,
            ),
            on=AFTER,
        )
        assert form.is_valid(), form.errors

    data = form.cleaned_data
    assert data["province"] == unit("thai-nguyen-2025")
    assert data["commune"] == unit("tan-cuong-2025")
    assert data["commune_name"] == "xã Tân Cương"
    assert data["was_mapped"] is True
    assert data["mapping_note"] == (
        "Your older address was mapped to Tan Cuong commune, Thai Nguyen province: "
        "please check it."
    )


@pytest.mark.django_db
def test_an_older_commune_that_no_longer_exists_is_an_error_on_that_field():
    form = DeliveryAddressForm(
        address_data(
            old_province=unit("thai-nguyen-1997").pk, old_commune=unit("la-bang").pk
        ),
        on=AFTER,
    )

    assert not form.is_valid()
    assert list(form.errors) == ["old_commune"]
    assert form.errors["old_commune"].as_data()[0].code == "retired_without_successor"


@pytest.mark.django_db
def test_both_the_current_and_the_older_address_is_refused():
    form = DeliveryAddressForm(
        address_data(
            province=unit("lang-son").pk, commune_name="Hoàng Đồng",
            old_province=unit("bac-kan-1997").pk,
        ),
        on=AFTER,
    )  # fmt: skip

    assert not form.is_valid()
    assert list(form.errors) == ["__all__"]


@pytest.mark.django_db
def test_the_commune_list_narrows_to_the_chosen_province():
    form = DeliveryAddressForm({"province": unit("thai-nguyen-2025").pk}, on=AFTER)

    assert list(form.fields["commune"].queryset) == [unit("tan-cuong-2025")]
    assert [label for _, label in form.fields["commune"].choices][1:] == [
        "xã Tân Cương"
    ]
    again = DeliveryAddressForm(initial={"province": unit("lang-son").pk}, on=AFTER)
    assert list(again.fields["commune"].queryset) == []


def test_the_guest_contact_form_checks_the_phone():
    good = ContactForm({"email": "hoa@example.com", "phone": "+84 388 123 456"})
    bad = ContactForm({"email": "not-an-email", "phone": "0123"})

    assert good.is_valid() and good.cleaned_data["phone"] == "+84388123456"
    assert not bad.is_valid() and set(bad.errors) == {"email", "phone"}


# Into Oscar's shipping address.


@pytest.mark.django_db
def test_the_form_fills_a_shipping_address():
    Country = get_model("address", "Country")
    ShippingAddress = get_model("order", "ShippingAddress")
    assert Country.objects.filter(pk="VN").exists()  # shop migration 0006
    form = DeliveryAddressForm(
        address_data(
            old_province=unit("thai-nguyen-1997").pk,
            old_commune=unit("tan-cuong-pre2025").pk,
            notes="Gọi trước khi giao",
        ),
        on=AFTER,
    )
    assert form.is_valid(), form.errors

    address = ShippingAddress.objects.create(
        **to_shipping_address_fields(form.cleaned_data)
    )

    address.refresh_from_db()
    assert address.first_name == "Nguyễn Thị Hoa"
    assert address.line1 == "Tổ 5, xóm Nam Đồng"
    assert address.line4 == "xã Tân Cương" and address.state == "tỉnh Thái Nguyên"
    assert str(address.phone_number) == "+84912345678"
    assert address.province == unit("thai-nguyen-2025")
    assert address.commune == unit("tan-cuong-2025")
    assert address.summary == (
        "Nguyễn Thị Hoa, Tổ 5, xóm Nam Đồng, xã Tân Cương, tỉnh Thái Nguyên, Việt Nam"
    )


@pytest.mark.django_db
def test_without_the_vietnam_country_row_the_mistake_is_explained():
    Country = get_model("address", "Country")
    Country.objects.filter(pk="VN").delete()  # Oscar ships none; shop 0006 adds it
    form = DeliveryAddressForm(
        address_data(province=unit("lang-son").pk, commune_name="Hoàng Đồng"), on=AFTER
    )
    assert form.is_valid(), form.errors

    with pytest.raises(ImproperlyConfigured):
        to_shipping_address_fields(form.cleaned_data)


@pytest.mark.django_db
def test_the_empty_form_renders_every_list_in_one_query_each(
    django_assert_max_num_queries,
):
    form = DeliveryAddressForm(on=AFTER)

    with django_assert_max_num_queries(5):  # provinces, communes, the three older lists
        html = form.as_div()

    assert ">thành phố Hà Nội</option>" in html
    assert ">xã Tân Cương, tỉnh Thái Nguyên</option>" in html
    assert ">xã Thịnh Đức, thành phố Thái Nguyên, tỉnh Thái Nguyên</option>" in html
