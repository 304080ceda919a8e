"""200 buyers at once for one product at one outlet, on PostgreSQL.

Half sell over the counter, half allocate for online orders, all released at once on
a pool of real threads with their own connections. Prints throughput and checks that
exactly the available units were sold and the ledger adds up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop python bench/stock_race_bench.py
(uses the throwaway database test_<name>, kept between runs)"""

import sys

from race_common import (
    CONNECTIONS,
    database,
    ledger_adds_up,
    print_latency,
    race,
    stocked_outlet,
)

BUYERS, UNITS = 200, 120


def main() -> None:
    database()
    from sales_points import services
    from sales_points.exceptions import InsufficientStock

    outlet, tea, record = stocked_outlet("race", UNITS)

    def counter_sale():
        return services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 1}, payment="cash"
        )

    def online_order():
        return services.stock_allocate(stockrecord_id=record.pk, quantity=1)

    outcomes, latencies, elapsed = race(
        [counter_sale if i % 2 else online_order for i in range(BUYERS)]
    )
    refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
    errors = [o for o in outcomes if isinstance(o, Exception) and o not in refused]
    sold = len(outcomes) - len(refused) - len(errors)
    ledger_ok = ledger_adds_up(record)
    print(
        f"{BUYERS} concurrent buyers for {UNITS} units at one outlet "
        f"(PostgreSQL, {CONNECTIONS} connections)"
    )
    print(f"  sold            {sold}  (expected exactly {min(UNITS, BUYERS)})")
    print(f"  refused         {len(refused)}")
    print(f"  errors          {len(errors)} {errors[:1]}")
    print(f"  throughput      {BUYERS / elapsed:.0f} attempts/s over {elapsed:.2f} s")
    print_latency(latencies)
    free = record.num_in_stock - record.num_allocated
    print(f"  left free       {free}; ledger adds up: {ledger_ok}")
    if errors or sold != min(UNITS, BUYERS) or free != max(UNITS - BUYERS, 0):
        sys.exit("FAILED: oversold, undersold, an error, or the ledger does not add up")
    if not ledger_ok:
        sys.exit("FAILED: the ledger does not add up")


if __name__ == "__main__":
    main()
