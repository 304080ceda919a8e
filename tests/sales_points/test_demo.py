import pytest
from django.core.management import call_command

from sales_points.demo import ONLINE_CODE
from sales_points.models import SalesPoint
from tests.sales_points.test_services import assert_ledger_adds_up

pytestmark = pytest.mark.django_db


def test_the_demo_stock_arrives_through_the_ledger():
    call_command("seed_demo", "--seed", "42")

    online = SalesPoint.objects.get(code=ONLINE_CODE)
    stocked = online.partner.stockrecords.filter(num_in_stock__gt=0)
    assert stocked.count() >= 200
    assert_ledger_adds_up()

    call_command("seed_demo", "--seed", "42")  # re-running receives nothing twice
    assert_ledger_adds_up()
    assert online.movements.count() == stocked.count()
