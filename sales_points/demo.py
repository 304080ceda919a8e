"""Demo sales points and their stock (deterministic for a seed, safe to re-run).

`seed` builds the province's online outlet and the article's network of Thai Nguyen:
a commune outlet in 140 communes, 22 district-level outlets (two or three in each of the
nine pre-2025 districts), the Hai Dang Rest Station on the Hanoi–Thai Nguyen highway
and the showroom at the Trade Promotion Center in Hanoi. Each outlet gets weekly hours,
its Tết 2027 closures, a sparse stock of certified products and one staff login.
`national_outlets_seed` adds thousands of outlets for the national scale, in bulk.

Every choice about an outlet comes from a random stream of its own (seed and code), so
an outlet is the same whether it is created on the first run or on a later one, and a
re-run creates, receives and links nothing twice."""

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit
from catalogue.selectors import product_is_certified, products_certified
from sales_points import demo_network as data
from sales_points import services
from sales_points.models import (
    HoursException,
    OpeningHours,
    SalesPoint,
    StockMovement,
)
from shop import roles
from shop.demo import DEMO_PASSWORD
from shop.text import fold_vietnamese, slugify_vietnamese

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

Level = SalesPoint.Level
Kind = SalesPoint.Kind

ONLINE_CODE = "ocop-online"
NATIONAL_PREFIX = "vn-"
RECEIPT_REASON = "Nhập kho ban đầu (dữ liệu mẫu)"
TET_2027 = dt.date(2027, 2, 6)  # first day of the year of Đinh Mùi
TET_NOTE = "Nghỉ Tết Nguyên đán Đinh Mùi 2027"
# Logins printed first by seed_demo: the documented commune outlet, the special two
# and the showroom at the Thai market.
FEATURED = [
    "tn-tan-cuong",
    "tram-dung-nghi-hai-dang",
    "hn-xuc-tien-thuong-mai",
    "tn-tp-thai-nguyen-1",
]


@dataclass(frozen=True)
class OutletLogin:
    username: str  # the outlet's code
    email: str
    name: str  # the outlet's Vietnamese name
    level: str


@dataclass(frozen=True)
class Network:
    """What seed_demo prints: outlets per level and one login per outlet."""

    by_level: dict[str, int]
    logins: list[OutletLogin]

    @property
    def outlets(self) -> int:
        return sum(self.by_level.values())


@transaction.atomic
def seed(*, seed: int) -> Network:
    """The online outlet (stocked through receipts) and the demo network."""
    rng = random.Random(seed + 7)
    online = online_outlet()
    unstocked = (
        StockRecord.objects.filter(partner=online.partner)
        .exclude(
            product__upc__startswith="VN-"
        )  # national scale: receive_national_stock
        .filter(~Exists(StockMovement.objects.filter(stockrecord=OuterRef("pk"))))
        .select_related("product")
        .order_by("pk")
    )
    for record in unstocked:
        if product_is_certified(record.product):
            services.stock_receive(
                sales_point=online, product=record.product, quantity=rng.randint(5, 120),
                reason=RECEIPT_REASON, reference="demo",
            )  # fmt: skip
    if not online.hours.exists():
        hours_create([online], seed=seed)
    outlets = network_seed(seed=seed)
    logins = outlet_logins_seed([online, *outlets])
    by_level = defaultdict(int)
    for outlet in [online, *outlets]:
        by_level[str(outlet.level)] += 1
    return Network(by_level=dict(by_level), logins=logins)


def online_outlet() -> SalesPoint:
    existing = SalesPoint.objects.filter(code=ONLINE_CODE).first()
    if existing:
        if not existing.fulfils_online_orders:  # demo data made before the flag
            existing.fulfils_online_orders = True
            existing.save(update_fields=["fulfils_online_orders"])
        return existing
    partner, _ = Partner.objects.get_or_create(
        code=ONLINE_CODE, defaults={"name": "OCOP Market"}
    )
    return services.sales_point_create(
        code=ONLINE_CODE, partner=partner, name_vi="Kho bán hàng trực tuyến OCOP Thái Nguyên",
        name_en="Thai Nguyen OCOP online fulfilment store", level=SalesPoint.Level.PROVINCE,
        kind=SalesPoint.Kind.MARKET, region=AdministrativeUnit.objects.get(code="thai-nguyen-2025"),
        address="Đường Hoàng Văn Thụ, phường Phan Đình Phùng, Thái Nguyên",
        latitude=Decimal("21.592477"), longitude=Decimal("105.844000"), is_pickup_point=True,
        fulfils_online_orders=True,
    )  # fmt: skip


# --- The Thai Nguyen network ------------------------------------------------------


@dataclass(frozen=True)
class PlannedOutlet:
    code: str
    level: str
    kind: str
    district: str | None  # pre-2025 district code; None outside Thai Nguyen
    region: str  # AdministrativeUnit code
    name_vi: str
    name_en: str
    address: str
    latitude: Decimal
    longitude: Decimal
    phone: str


def network_plan(*, seed: int) -> list[PlannedOutlet]:
    """Every outlet of the network as data: commune, district and special outlets."""
    districts = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(code__in=data.DISTRICT_CENTRES)
    }
    plan = []
    for district, communes in data.COMMUNES.items():
        for unit_name in communes:
            plan.append(_commune_outlet(seed, districts[district], unit_name))
    numbers = defaultdict(int)
    for district, kind, name_vi, name_en, lat, lng, address in data.DISTRICT_OUTLETS:
        numbers[district] += 1
        code = f"tn-{district}-{numbers[district]}"
        rng = random.Random(f"{seed}:place:{code}")
        plan.append(
            PlannedOutlet(
                code=code,
                level=Level.DISTRICT,
                kind=kind,
                district=district,
                region=district,
                name_vi=name_vi,
                name_en=name_en,
                address=f"{address}, tỉnh Thái Nguyên",
                latitude=_coordinate(lat),
                longitude=_coordinate(lng),
                phone=_landline(rng),
            )
        )
    for row in data.SPECIAL_OUTLETS:
        code, kind, region, name_vi, name_en, lat, lng, address, phone = row
        plan.append(
            PlannedOutlet(
                code=code,
                level=Level.SPECIAL,
                kind=kind,
                district=region if region in data.DISTRICT_CENTRES else None,
                region=region,
                name_vi=name_vi,
                name_en=name_en,
                address=address,
                latitude=_coordinate(lat),
                longitude=_coordinate(lng),
                phone=phone,
            )
        )
    return plan


def _commune_outlet(
    seed: int, district: AdministrativeUnit, unit: str
) -> PlannedOutlet:
    unit_kind, name = _split(unit)
    code = f"tn-{slugify_vietnamese(name)}"
    rng = random.Random(f"{seed}:place:{code}")
    kind = _commune_kind(rng, unit, unit_kind)
    name_en, kind_en = fold_vietnamese(name), data.UNIT_KINDS_EN[unit_kind]
    names = {
        Kind.COMMUNE_CENTRE: (f"Điểm bán OCOP {unit}", f"OCOP sales point, {name_en} {kind_en}",
                              f"Khu trung tâm {unit}"),
        Kind.MARKET: (f"Điểm bán OCOP chợ {name}", f"OCOP stall, {name_en} market",
                      f"Chợ {name}, {unit}"),
        Kind.POST_OFFICE: (f"Điểm bán OCOP bưu điện {unit}",
                           f"OCOP corner, {name_en} {kind_en} post office",
                           f"Bưu điện {unit}"),
        Kind.TOURISM: (f"Điểm bán OCOP du lịch cộng đồng {unit}",
                       f"OCOP shop, {name_en} community tourism",
                       f"Xóm {rng.randint(1, 12)}, {unit}"),
        Kind.CRAFT_VILLAGE: (f"Điểm bán OCOP làng nghề chè {unit}",
                             f"OCOP shop, {name_en} tea craft village",
                             f"Xóm {rng.randint(1, 12)}, {unit}"),
    }  # fmt: skip
    name_vi, name_en, street = names[kind]
    if unit in data.REFERENCE_COMMUNES:
        region, lat, lng = data.REFERENCE_COMMUNES[unit]
        lat, lng = _scatter(rng, lat, lng, radius_km=1.0)
    else:
        region = district.code
        lat, lng = _scatter(
            rng, *data.DISTRICT_CENTRES[district.code],
            radius_km=data.DISTRICT_RADIUS_KM[district.code],
        )  # fmt: skip
    return PlannedOutlet(
        code=code, level=Level.COMMUNE, kind=kind, district=district.code, region=region,
        name_vi=name_vi, name_en=name_en,
        address=f"{street}, {district.kind_vi} {district.name_vi}, tỉnh Thái Nguyên",
        latitude=_coordinate(lat), longitude=_coordinate(lng),
        phone=_landline(rng) if kind == Kind.POST_OFFICE else _mobile(rng),
    )  # fmt: skip


def _split(unit: str) -> tuple[str, str]:
    """'thị trấn Hùng Sơn' -> ('thị trấn', 'Hùng Sơn'); 'xã Phú Đô' -> ('xã', 'Phú Đô')."""
    for unit_kind in sorted(data.UNIT_KINDS_EN, key=len, reverse=True):
        if unit.startswith(unit_kind + " "):
            return unit_kind, unit[len(unit_kind) + 1 :]
    raise ValueError(unit)


def _commune_kind(rng: random.Random, unit: str, unit_kind: str) -> str:
    if unit in data.CRAFT_VILLAGES:
        return Kind.CRAFT_VILLAGE
    if unit in data.TOURISM:
        return Kind.TOURISM
    if unit in data.POST_OFFICES:
        return Kind.POST_OFFICE
    if unit in data.REFERENCE_COMMUNES:
        return Kind.COMMUNE_CENTRE
    weights = (
        data.COMMUNE_KIND_WEIGHTS if unit_kind == "xã" else data.URBAN_KIND_WEIGHTS
    )
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _scatter(rng: random.Random, lat: float, lng: float, *, radius_km: float):
    """A point uniformly within radius_km of (lat, lng)."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    return (
        lat + distance * math.cos(bearing) / 111.0,
        lng + distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat))),
    )


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _landline(rng: random.Random) -> str:
    return f"0208 3{rng.randint(600, 899)} {rng.randint(100, 999)}"


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(["0912", "0913", "0983", "0986", "0977", "0388", "0869"])
    return f"{prefix} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def network_seed(*, seed: int) -> list[SalesPoint]:
    """Create the planned outlets that do not exist yet (with hours, Tết closures and
    stock); return every outlet of the plan, in plan order."""
    plan = network_plan(seed=seed)
    existing = SalesPoint.objects.in_bulk([p.code for p in plan], field_name="code")
    units = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(code__in={p.region for p in plan})
    }
    created = []
    for planned in plan:
        if planned.code in existing:
            continue
        existing[planned.code] = services.sales_point_create(
            code=planned.code, name_vi=planned.name_vi, name_en=planned.name_en,
            level=planned.level, kind=planned.kind, region=units[planned.region],
            address=planned.address, latitude=planned.latitude,
            longitude=planned.longitude, phone=planned.phone,
        )  # fmt: skip
        created.append(planned)
    outlets = {p.code: existing[p.code] for p in plan}
    new_outlets = [outlets[p.code] for p in created]
    hours_create(new_outlets, seed=seed)
    tet_closures_create(new_outlets, seed=seed)
    _network_stock(created, outlets, seed=seed)
    return list(outlets.values())


# --- Hours -------------------------------------------------------------------------

_T = dt.time.fromisoformat
MON_SAT, EVERY_DAY = range(6), range(7)
OFFICE_HOURS = [(day, _T(o), _T(c)) for day in MON_SAT
                for o, c in (("07:30", "11:30"), ("13:30", "17:00"))]  # fmt: skip
SUNDAY_MORNING = [(6, _T("07:30"), _T("11:30"))]
WEEKLY_HOURS = {
    Kind.MARKET: [(day, _T("06:00"), _T("18:00")) for day in EVERY_DAY],
    Kind.TOURISM: [(day, _T("08:00"), _T("17:30")) for day in EVERY_DAY],
    Kind.TRANSPORT_HUB: [(day, _T("05:30"), _T("21:00")) for day in EVERY_DAY],
    Kind.REST_STOP: [(day, _T("06:00"), _T("22:00")) for day in EVERY_DAY],
    Kind.FAIR_CENTRE: [(day, _T(o), _T(c)) for day in range(5)
                       for o, c in (("08:00", "12:00"), ("13:30", "17:30"))]
    + [(day, _T("08:30"), _T("17:00")) for day in (5, 6)],
}  # fmt: skip


def weekly_hours(kind: str, rng: random.Random) -> list[tuple[int, dt.time, dt.time]]:
    """(weekday, opens, closes), Monday = 0. Offices close for lunch; a third of them
    open on Sunday mornings too."""
    if kind in WEEKLY_HOURS:
        return WEEKLY_HOURS[kind]
    return OFFICE_HOURS + (SUNDAY_MORNING if rng.random() < 0.35 else [])


def hours_create(outlets: Iterable[SalesPoint], *, seed: int) -> None:
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(sales_point=outlet, weekday=day, opens=opens, closes=closes)
            for outlet in outlets
            for day, opens, closes in weekly_hours(
                outlet.kind, random.Random(f"{seed}:hours:{outlet.code}")
            )
        ],
        batch_size=2000,
    )


def tet_closures_create(outlets: Iterable[SalesPoint], *, seed: int) -> None:
    """Tết 2027: most outlets close from New Year's Eve to the third day; markets
    open on the Eve morning, tourist sites reopen on the second day, the highway
    stop and the stations stay open with shorter hours on the first day. A few
    commune outlets have not filed their Tết hours."""
    eve, first = TET_2027 - dt.timedelta(days=1), TET_2027
    days = [eve + dt.timedelta(days=n) for n in range(4)]  # 5 to 8 February 2027
    rows = []
    for outlet in outlets:
        rng = random.Random(f"{seed}:tet:{outlet.code}")
        if outlet.level == Level.COMMUNE and rng.random() < 0.1:
            continue
        if outlet.kind in (Kind.REST_STOP, Kind.TRANSPORT_HUB):
            plan = {first: (_T("08:00"), _T("18:00"))}
        elif outlet.kind == Kind.MARKET:
            plan = {eve: (_T("06:00"), _T("12:00")), **dict.fromkeys(days[1:])}
        elif outlet.kind == Kind.TOURISM:
            reopened = (_T("09:00"), _T("17:00"))
            plan = {eve: None, first: None, **dict.fromkeys(days[2:], reopened)}
        else:
            plan = dict.fromkeys(days)
        for day, hours in plan.items():
            opens, closes = hours or (None, None)
            rows.append(
                HoursException(
                    sales_point=outlet,
                    date=day,
                    closed=hours is None,
                    opens=opens,
                    closes=closes,
                    note=TET_NOTE,
                )
            )
    HoursException.objects.bulk_create(rows, batch_size=2000)


# --- Stock -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stockable:
    """A certified product an outlet may receive, at the price it sells for online."""

    product_id: int
    district: str | None  # pre-2025 district of its origin
    is_tea: bool
    price: Decimal


def stockables(queryset=None) -> list[Stockable]:
    """Certified products with an online price, in primary-key order."""
    online = online_outlet()
    queryset = (
        Product.objects.exclude(upc__startswith="VN-") if queryset is None else queryset
    )
    prices = dict(
        StockRecord.objects.filter(partner=online.partner, price__isnull=False)
        .filter(product__in=queryset)
        .values_list("product_id", "price")
    )
    rows = (
        products_certified(queryset)
        .order_by("pk")
        .values_list("pk", "origin__level", "origin__code", "origin__parent__code",
                     "group__code")
    )  # fmt: skip
    return [
        Stockable(
            product_id=pk,
            district=parent if level == AdministrativeUnit.Level.COMMUNE else code,
            is_tea=group == "tea",
            price=prices[pk],
        )
        for pk, level, code, parent, group in rows
        if pk in prices
    ]


def assortment(
    rng: random.Random, *, district: str | None, size: int, products: list[Stockable]
) -> list[Stockable]:
    """A few teas from anywhere, then mostly products of the outlet's own district,
    then of the districts next to it, then of anywhere."""
    by_district = defaultdict(list)
    for product in products:
        by_district[product.district].append(product)
    near = [p for d in data.NEIGHBOURS.get(district, []) for p in by_district[d]]
    chosen: dict[int, Stockable] = {}

    def take(pool: list[Stockable], count: int) -> None:
        for product in rng.sample(pool, min(count, len(pool))):
            if len(chosen) < size:
                chosen.setdefault(product.product_id, product)

    take([p for p in products if p.is_tea], rng.randint(2, 4))
    take(by_district[district] if district else [], round(size * 0.6))
    take(near, size)
    take(products, size)
    return list(chosen.values())


# (smallest, largest) assortment and units received of each product, per level.
STOCK_SIZES = {
    Level.COMMUNE: ((8, 24), (1, 30)),
    Level.DISTRICT: ((20, 40), (5, 60)),
    Level.SPECIAL: ((36, 40), (10, 60)),
}


def _network_stock(
    created: list[PlannedOutlet], outlets: dict[str, SalesPoint], *, seed: int
) -> None:
    if not created:
        return
    products = stockables()
    lines = []
    for planned in created:
        rng = random.Random(f"{seed}:stock:{planned.code}")
        (low, high), (least, most) = STOCK_SIZES[planned.level]
        for product in assortment(
            rng,
            district=planned.district,
            size=rng.randint(low, high),
            products=products,
        ):
            lines.append((outlets[planned.code], product, rng.randint(least, most)))
    stock_receive_in_bulk(lines)


def stock_receive_in_bulk(
    lines: Iterable[tuple[SalesPoint, Stockable, int]], *, reference: str = "demo"
) -> int:
    """First receipts of products an outlet has never stocked, written in bulk: each
    new stock record holds exactly what its one receipt movement says. (The caller
    chose certified products; stock_receive would check them one by one.)"""
    records, movements = [], []
    for outlet, product, quantity in lines:
        record = StockRecord(
            partner_id=outlet.partner_id, product_id=product.product_id,
            partner_sku=f"{outlet.code}-{product.product_id}", price_currency="VND",
            price=product.price, num_in_stock=quantity, num_allocated=0,
        )  # fmt: skip
        records.append(record)
        movements.append(
            StockMovement(
                sales_point=outlet,
                product_id=product.product_id,
                stockrecord=record,
                kind=StockMovement.Kind.RECEIPT,
                delta=quantity,
                balance_after=quantity,
                allocated_after=0,
                reason=RECEIPT_REASON,
                reference=reference,
            )
        )
    StockRecord.objects.bulk_create(records, batch_size=2000)
    if any(record.pk is None for record in records):  # a database without RETURNING
        raise RuntimeError("bulk_create did not return the new stock records' keys")
    StockMovement.objects.bulk_create(movements, batch_size=2000)
    return len(records)


# --- Logins ------------------------------------------------------------------------


def outlet_logins_seed(outlets: list[SalesPoint]) -> list[OutletLogin]:
    """One staff login per outlet: user name = outlet code, the demo password, in the
    Sales point staff group, a user of the outlet's partner. Featured outlets first."""
    User = get_user_model()
    staff = Group.objects.get(name=roles.SALES_POINT_STAFF)
    codes = [outlet.code for outlet in outlets]
    existing = set(
        User.objects.filter(username__in=codes).values_list("username", flat=True)
    )
    new = [outlet for outlet in outlets if outlet.code not in existing]
    if new:
        password = make_password(DEMO_PASSWORD)  # hashed once: it is slow on purpose
        User.objects.bulk_create(
            [
                User(
                    username=outlet.code,
                    email=f"{outlet.code}@ocop.local",
                    first_name=outlet.name_vi[:150],
                    password=password,
                )
                for outlet in new
            ],
            batch_size=1000,
        )
    users = dict(User.objects.filter(username__in=codes).values_list("username", "pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=staff.pk) for pk in users.values()],
        ignore_conflicts=True,
    )
    Partner.users.through.objects.bulk_create(
        [
            Partner.users.through(partner_id=o.partner_id, user_id=users[o.code])
            for o in outlets
        ],
        ignore_conflicts=True,
    )
    order = {level: n for n, level in enumerate(Level.values)}
    ranked = sorted(
        outlets,
        key=lambda o: (
            FEATURED.index(o.code) if o.code in FEATURED else len(FEATURED),
            order[o.level],
            o.code,
        ),
    )
    return [
        OutletLogin(
            username=o.code,
            email=f"{o.code}@ocop.local",
            name=o.name_vi,
            level=str(o.level),
        )
        for o in ranked
    ]


# --- National scale ----------------------------------------------------------------


def receive_national_stock(*, seed: int) -> None:
    """National-scale stock: receipts written in bulk, ledger and records in step."""
    rng = random.Random(seed + 11)
    online = online_outlet()
    records = list(
        StockRecord.objects.filter(
            partner=online.partner, product__upc__startswith="VN-"
        )
        .filter(~Exists(StockMovement.objects.filter(stockrecord=OuterRef("pk"))))
        .only("pk", "product_id")
    )
    movements = []
    for record in records:
        record.num_in_stock = rng.randint(0, 200)
        if record.num_in_stock:
            movements.append(
                StockMovement(
                    sales_point=online,
                    product_id=record.product_id,
                    stockrecord=record,
                    kind=StockMovement.Kind.RECEIPT,
                    delta=record.num_in_stock,
                    balance_after=record.num_in_stock,
                    allocated_after=0,
                    reference="demo",
                )  # fmt: skip
            )
    with transaction.atomic():
        StockRecord.objects.bulk_update(records, ["num_in_stock"], batch_size=5000)
        StockMovement.objects.bulk_create(movements, batch_size=5000)


NATIONAL_KINDS = {
    Kind.COMMUNE_CENTRE: ("trung tâm xã", "commune centre", 40),
    Kind.MARKET: ("chợ", "market", 20),
    Kind.POST_OFFICE: ("bưu điện văn hóa xã", "commune post office", 18),
    Kind.TOURISM: ("điểm du lịch", "tourist site", 9),
    Kind.CRAFT_VILLAGE: ("làng nghề", "craft village", 7),
    Kind.TRANSPORT_HUB: ("bến xe", "coach station", 3),
    Kind.REST_STOP: ("trạm dừng nghỉ", "rest stop", 2),
    Kind.FAIR_CENTRE: ("trung tâm hội chợ", "fair centre", 1),
}
NATIONAL_LEVELS = {Level.COMMUNE: 88, Level.PROVINCE: 10, Level.SPECIAL: 2}
# The reference data has two current provinces; elsewhere Hà Nội stands in as region
# (the address names the real province).
NATIONAL_REGIONS = {"Thái Nguyên": "thai-nguyen-2025"}


def national_outlets_seed(
    *, seed: int, count: int = 5000, stock_per_outlet: int = 40, chunk_size: int = 200
) -> int:
    """Outlets vn-00001 … across Vietnam, each with about `stock_per_outlet` national
    products (received in bulk, ledger in step) and weekly hours. Chunk by chunk, each
    in its own transaction, so memory stays flat and an interrupted run resumes; an
    outlet that exists is skipped. Returns the number of outlets created."""
    products = stockables(Product.objects.filter(upc__startswith="VN-"))
    if not products:
        return 0
    regions = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            code__in=["ha-noi", *NATIONAL_REGIONS.values()]
        )
    }
    created = 0
    for numbers in _chunks(range(1, count + 1), chunk_size):
        codes = {n: f"{NATIONAL_PREFIX}{n:05d}" for n in numbers}
        existing = set(
            SalesPoint.objects.filter(code__in=codes.values()).values_list(
                "code", flat=True
            )
        )
        todo = [n for n in numbers if codes[n] not in existing]
        if todo:
            with transaction.atomic():
                _national_chunk(seed, todo, products, regions, stock_per_outlet)
            created += len(todo)
    return created


def _national_chunk(seed, numbers, products, regions, stock_per_outlet) -> None:
    anchors = data.NATIONAL_ANCHORS
    weights = [anchor[-1] for anchor in anchors]
    planned = []
    for n in numbers:
        code = f"{NATIONAL_PREFIX}{n:05d}"
        rng = random.Random(f"{seed}:national:{code}")
        province, province_en, lat, lng, radius, _ = rng.choices(anchors, weights)[0]
        kind = rng.choices(
            list(NATIONAL_KINDS), [w for *_, w in NATIONAL_KINDS.values()]
        )[0]
        level = rng.choices(list(NATIONAL_LEVELS), list(NATIONAL_LEVELS.values()))[0]
        kind_vi, kind_en, _ = NATIONAL_KINDS[kind]
        lat, lng = _scatter(rng, lat, lng, radius_km=radius)
        region = regions[NATIONAL_REGIONS.get(province.split(" (")[0], "ha-noi")]
        outlet = SalesPoint(
            code=code, name_vi=f"Điểm bán OCOP {kind_vi} số {n}, {province}",
            name_en=f"OCOP point no. {n}, {kind_en}, {province_en}", level=level,
            kind=kind, region=region, address=f"Điểm số {n}, {province}",
            latitude=_coordinate(lat), longitude=_coordinate(lng), phone=_mobile(rng),
        )  # fmt: skip
        planned.append((outlet, rng))
    partners = Partner.objects.bulk_create(
        [Partner(code=outlet.code, name=outlet.name_vi[:128]) for outlet, _ in planned]
    )
    for (outlet, _), partner in zip(planned, partners, strict=True):
        outlet.partner = partner
    SalesPoint.objects.bulk_create([outlet for outlet, _ in planned])
    hours_create([outlet for outlet, _ in planned], seed=seed)
    lines = []
    for outlet, rng in planned:
        size = rng.randint(stock_per_outlet * 3 // 4, stock_per_outlet * 5 // 4)
        for product in rng.sample(products, min(size, len(products))):
            lines.append((outlet, product, rng.randint(1, 60)))
    stock_receive_in_bulk(lines)


def _chunks(items, size: int) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
