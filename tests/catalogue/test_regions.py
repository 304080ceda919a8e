import datetime as dt

import pytest
from django.utils import translation

from catalogue.models import AdministrativeUnit
from catalogue.selectors import unit_current_successors, unit_history
from tests.factories import ProducerFactory, unit

pytestmark = pytest.mark.django_db


def test_thai_nguyen_before_and_after_the_merger_is_loaded():
    old, bac_kan, new = (
        unit("thai-nguyen-1997"),
        unit("bac-kan-1997"),
        unit("thai-nguyen-2025"),
    )

    assert old.official_code == new.official_code == "19"
    assert old.valid_to == bac_kan.valid_to == dt.date(2025, 6, 30)
    assert new.valid_from == dt.date(2025, 7, 1)
    assert set(new.predecessors.filter(level="province")) == {old, bac_kan}


def test_the_nine_pre_2025_district_level_units_are_loaded():
    districts = AdministrativeUnit.objects.filter(
        level="district", parent__code="thai-nguyen-1997"
    )

    assert districts.count() == 9
    assert all(d.valid_to == dt.date(2025, 6, 30) for d in districts)


def test_a_merged_commune_knows_its_successor_and_history_in_one_call():
    with translation.override("en"):
        history = unit_history(unit("thinh-duc"), day=dt.date(2026, 1, 1))

    assert history.current == [unit("tan-cuong-2025")]
    assert history.text == (
        "Thinh Duc commune, Thai Nguyen city; since July 1, 2025 part of Tan Cuong commune"
    )


def test_the_history_reads_in_vietnamese_too():
    with translation.override("vi"):
        history = unit_history(unit("thinh-duc"), day=dt.date(2026, 1, 1))

    assert history.text.startswith("xã Thịnh Đức, thành phố Thái Nguyên; ")
    assert history.text.endswith("xã Tân Cương")


def test_before_the_reform_a_unit_is_its_own_current_unit():
    history = unit_history(unit("thinh-duc"), day=dt.date(2025, 1, 1))

    assert history.current == [unit("thinh-duc")]


def test_a_commune_without_a_recorded_successor_says_so():
    with translation.override("en"):
        history = unit_history(unit("la-bang"), day=dt.date(2026, 1, 1))

    assert history.current == []
    assert "successor not recorded" in history.text


def test_successions_are_followed_through_several_reforms():
    a = AdministrativeUnit.objects.create(
        code="a", level="commune", kind_vi="xã", kind_en="commune", name_vi="A", name_en="A",
        valid_to=dt.date(2020, 1, 1),
    )  # fmt: skip
    b = AdministrativeUnit.objects.create(
        code="b", level="commune", kind_vi="xã", kind_en="commune", name_vi="B", name_en="B",
        valid_from=dt.date(2020, 1, 2), valid_to=dt.date(2025, 6, 30),
    )  # fmt: skip
    a.successors.add(b)
    b.successors.add(unit("tan-cuong-2025"))

    assert unit_current_successors(a, dt.date(2026, 1, 1)) == [unit("tan-cuong-2025")]
    assert unit_current_successors(a, dt.date(2021, 1, 1)) == [b]


def test_a_producer_keeps_pointing_at_the_unit_true_when_it_was_made():
    producer = ProducerFactory(region=unit("thinh-duc"))

    producer.refresh_from_db()

    assert producer.region.code == "thinh-duc"
    assert unit_history(producer.region).current == [unit("tan-cuong-2025")]
