"""The provincial-level units of Vietnam before and after the 1 July 2025 reform, with
the successions Resolution 202/2025/QH15 records, loaded by migration 0035.

- 63 units were in force on 30 June 2025; 34 from 1 July 2025 (6 centrally run cities
  and 28 provinces).
- A province the reform left whole (Hà Nội, Huế, Lai Châu, Điện Biên, Sơn La, Lạng Sơn,
  Quảng Ninh, Thanh Hóa, Nghệ An, Hà Tĩnh, Cao Bằng) is ONE unit spanning both periods,
  like the existing "ha-noi": same legal entity, name and official code. What changed
  inside it (districts abolished, communes merged) is recorded on the communes.
- A province merged with others ends on 30 June 2025 ("<name>-pre2025"), including the
  one whose name the merged province keeps; the merged province is a new unit from
  1 July 2025 ("<name>-2025"), as Thái Nguyên already is in reference_data.
- Thừa Thiên Huế became the centrally run city of Huế on 1 January 2025 (Resolution
  175/2024/QH15), so it is retired then and succeeded by "hue".
- valid_from is left empty for units older than the shop's history: the reorganisations
  before 2025 (1976, 1989–1992, 1997, 2004, 2008) are not modelled here.
- Official codes: the statistics office's 2-digit province codes. A merged province took
  the code of the old province where its administrative centre is (Lào Cai 15, the old
  Yên Bái's; Bắc Ninh 24, the old Bắc Giang's …).
- Succession is whole province to whole province, as Resolution 202/2025/QH15 states it.
  Commune-level resolutions moved a few communes across the new borders; those are
  recorded, when checked, on the communes themselves.

The existing units (thai-nguyen-1997, bac-kan-1997, thai-nguyen-2025, ha-noi) come from
reference_data and are not repeated here; successions may point at them."""

import datetime as dt

from catalogue.reference_data import LAST_DAY_BEFORE_REFORM, REFORM_DAY

HUE_CITY_DAY = dt.date(2025, 1, 1)
LAST_DAY_OF_THUA_THIEN_HUE = dt.date(2024, 12, 31)

R202 = "Resolution 202/2025/QH15"
R175 = "Resolution 175/2024/QH15"

_PROVINCE = ("tỉnh", "province")
_CITY = ("thành phố", "city")

# code, official code, (kind vi, kind en), name vi, name en, valid from, valid to, source
PROVINCES = [
    # Left whole by the reform: one unit across both periods (Hà Nội is in reference_data).
    ("cao-bang", "04", _PROVINCE, "Cao Bằng", "Cao Bang", None, None, R202),
    ("dien-bien", "11", _PROVINCE, "Điện Biên", "Dien Bien", None, None, R202),
    ("lai-chau", "12", _PROVINCE, "Lai Châu", "Lai Chau", None, None, R202),
    ("son-la", "14", _PROVINCE, "Sơn La", "Son La", None, None, R202),
    ("lang-son", "20", _PROVINCE, "Lạng Sơn", "Lang Son", None, None, R202),
    ("quang-ninh", "22", _PROVINCE, "Quảng Ninh", "Quang Ninh", None, None, R202),
    ("thanh-hoa", "38", _PROVINCE, "Thanh Hóa", "Thanh Hoa", None, None, R202),
    ("nghe-an", "40", _PROVINCE, "Nghệ An", "Nghe An", None, None, R202),
    ("ha-tinh", "42", _PROVINCE, "Hà Tĩnh", "Ha Tinh", None, None, R202),
    ("thua-thien-hue", "46", _PROVINCE, "Thừa Thiên Huế", "Thua Thien Hue",
     None, LAST_DAY_OF_THUA_THIEN_HUE, R175),
    ("hue", "46", _CITY, "Huế", "Hue", HUE_CITY_DAY, None,
     f"{R175}: Thừa Thiên Huế became a centrally run city; {R202}: unchanged"),
    # In force until 30 June 2025, then merged.
    ("ha-giang-pre2025", "02", _PROVINCE, "Hà Giang", "Ha Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("tuyen-quang-pre2025", "08", _PROVINCE, "Tuyên Quang", "Tuyen Quang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("lao-cai-pre2025", "10", _PROVINCE, "Lào Cai", "Lao Cai",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("yen-bai-pre2025", "15", _PROVINCE, "Yên Bái", "Yen Bai",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("hoa-binh-pre2025", "17", _PROVINCE, "Hòa Bình", "Hoa Binh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("bac-giang-pre2025", "24", _PROVINCE, "Bắc Giang", "Bac Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("phu-tho-pre2025", "25", _PROVINCE, "Phú Thọ", "Phu Tho",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("vinh-phuc-pre2025", "26", _PROVINCE, "Vĩnh Phúc", "Vinh Phuc",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("bac-ninh-pre2025", "27", _PROVINCE, "Bắc Ninh", "Bac Ninh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("hai-duong-pre2025", "30", _PROVINCE, "Hải Dương", "Hai Duong",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("hai-phong-pre2025", "31", _CITY, "Hải Phòng", "Hai Phong",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("hung-yen-pre2025", "33", _PROVINCE, "Hưng Yên", "Hung Yen",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("thai-binh-pre2025", "34", _PROVINCE, "Thái Bình", "Thai Binh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ha-nam-pre2025", "35", _PROVINCE, "Hà Nam", "Ha Nam",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("nam-dinh-pre2025", "36", _PROVINCE, "Nam Định", "Nam Dinh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ninh-binh-pre2025", "37", _PROVINCE, "Ninh Bình", "Ninh Binh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("quang-binh-pre2025", "44", _PROVINCE, "Quảng Bình", "Quang Binh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("quang-tri-pre2025", "45", _PROVINCE, "Quảng Trị", "Quang Tri",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("da-nang-pre2025", "48", _CITY, "Đà Nẵng", "Da Nang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("quang-nam-pre2025", "49", _PROVINCE, "Quảng Nam", "Quang Nam",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("quang-ngai-pre2025", "51", _PROVINCE, "Quảng Ngãi", "Quang Ngai",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("binh-dinh-pre2025", "52", _PROVINCE, "Bình Định", "Binh Dinh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("phu-yen-pre2025", "54", _PROVINCE, "Phú Yên", "Phu Yen",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("khanh-hoa-pre2025", "56", _PROVINCE, "Khánh Hòa", "Khanh Hoa",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ninh-thuan-pre2025", "58", _PROVINCE, "Ninh Thuận", "Ninh Thuan",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("binh-thuan-pre2025", "60", _PROVINCE, "Bình Thuận", "Binh Thuan",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("kon-tum-pre2025", "62", _PROVINCE, "Kon Tum", "Kon Tum",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("gia-lai-pre2025", "64", _PROVINCE, "Gia Lai", "Gia Lai",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("dak-lak-pre2025", "66", _PROVINCE, "Đắk Lắk", "Dak Lak",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("dak-nong-pre2025", "67", _PROVINCE, "Đắk Nông", "Dak Nong",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("lam-dong-pre2025", "68", _PROVINCE, "Lâm Đồng", "Lam Dong",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("binh-phuoc-pre2025", "70", _PROVINCE, "Bình Phước", "Binh Phuoc",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("tay-ninh-pre2025", "72", _PROVINCE, "Tây Ninh", "Tay Ninh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("binh-duong-pre2025", "74", _PROVINCE, "Bình Dương", "Binh Duong",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("dong-nai-pre2025", "75", _PROVINCE, "Đồng Nai", "Dong Nai",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ba-ria-vung-tau-pre2025", "77", _PROVINCE, "Bà Rịa - Vũng Tàu",
     "Ba Ria - Vung Tau", None, LAST_DAY_BEFORE_REFORM, R202),
    ("ho-chi-minh-pre2025", "79", _CITY, "Hồ Chí Minh", "Ho Chi Minh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("long-an-pre2025", "80", _PROVINCE, "Long An", "Long An",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("tien-giang-pre2025", "82", _PROVINCE, "Tiền Giang", "Tien Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ben-tre-pre2025", "83", _PROVINCE, "Bến Tre", "Ben Tre",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("tra-vinh-pre2025", "84", _PROVINCE, "Trà Vinh", "Tra Vinh",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("vinh-long-pre2025", "86", _PROVINCE, "Vĩnh Long", "Vinh Long",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("dong-thap-pre2025", "87", _PROVINCE, "Đồng Tháp", "Dong Thap",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("an-giang-pre2025", "89", _PROVINCE, "An Giang", "An Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("kien-giang-pre2025", "91", _PROVINCE, "Kiên Giang", "Kien Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("can-tho-pre2025", "92", _CITY, "Cần Thơ", "Can Tho",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("hau-giang-pre2025", "93", _PROVINCE, "Hậu Giang", "Hau Giang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("soc-trang-pre2025", "94", _PROVINCE, "Sóc Trăng", "Soc Trang",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("bac-lieu-pre2025", "95", _PROVINCE, "Bạc Liêu", "Bac Lieu",
     None, LAST_DAY_BEFORE_REFORM, R202),
    ("ca-mau-pre2025", "96", _PROVINCE, "Cà Mau", "Ca Mau",
     None, LAST_DAY_BEFORE_REFORM, R202),
    # In force from 1 July 2025: the merged provinces (Thái Nguyên is in reference_data).
    ("tuyen-quang-2025", "08", _PROVINCE, "Tuyên Quang", "Tuyen Quang",
     REFORM_DAY, None, f"{R202}: Hà Giang + Tuyên Quang"),
    ("lao-cai-2025", "15", _PROVINCE, "Lào Cai", "Lao Cai",
     REFORM_DAY, None, f"{R202}: Yên Bái + Lào Cai"),
    ("phu-tho-2025", "25", _PROVINCE, "Phú Thọ", "Phu Tho",
     REFORM_DAY, None, f"{R202}: Vĩnh Phúc + Hòa Bình + Phú Thọ"),
    ("bac-ninh-2025", "24", _PROVINCE, "Bắc Ninh", "Bac Ninh",
     REFORM_DAY, None, f"{R202}: Bắc Giang + Bắc Ninh"),
    ("hung-yen-2025", "33", _PROVINCE, "Hưng Yên", "Hung Yen",
     REFORM_DAY, None, f"{R202}: Thái Bình + Hưng Yên"),
    ("hai-phong-2025", "31", _CITY, "Hải Phòng", "Hai Phong",
     REFORM_DAY, None, f"{R202}: Hải Dương + Hải Phòng"),
    ("ninh-binh-2025", "37", _PROVINCE, "Ninh Bình", "Ninh Binh",
     REFORM_DAY, None, f"{R202}: Hà Nam + Nam Định + Ninh Bình"),
    ("quang-tri-2025", "44", _PROVINCE, "Quảng Trị", "Quang Tri",
     REFORM_DAY, None, f"{R202}: Quảng Bình + Quảng Trị"),
    ("da-nang-2025", "48", _CITY, "Đà Nẵng", "Da Nang",
     REFORM_DAY, None, f"{R202}: Quảng Nam + Đà Nẵng"),
    ("quang-ngai-2025", "51", _PROVINCE, "Quảng Ngãi", "Quang Ngai",
     REFORM_DAY, None, f"{R202}: Kon Tum + Quảng Ngãi"),
    ("gia-lai-2025", "52", _PROVINCE, "Gia Lai", "Gia Lai",
     REFORM_DAY, None, f"{R202}: Bình Định + Gia Lai"),
    ("khanh-hoa-2025", "56", _PROVINCE, "Khánh Hòa", "Khanh Hoa",
     REFORM_DAY, None, f"{R202}: Ninh Thuận + Khánh Hòa"),
    ("lam-dong-2025", "68", _PROVINCE, "Lâm Đồng", "Lam Dong",
     REFORM_DAY, None, f"{R202}: Đắk Nông + Bình Thuận + Lâm Đồng"),
    ("dak-lak-2025", "66", _PROVINCE, "Đắk Lắk", "Dak Lak",
     REFORM_DAY, None, f"{R202}: Phú Yên + Đắk Lắk"),
    ("ho-chi-minh-2025", "79", _CITY, "Hồ Chí Minh", "Ho Chi Minh",
     REFORM_DAY, None, f"{R202}: Bình Dương + Bà Rịa - Vũng Tàu + Hồ Chí Minh"),
    ("dong-nai-2025", "75", _PROVINCE, "Đồng Nai", "Dong Nai",
     REFORM_DAY, None, f"{R202}: Bình Phước + Đồng Nai"),
    ("tay-ninh-2025", "80", _PROVINCE, "Tây Ninh", "Tay Ninh",
     REFORM_DAY, None, f"{R202}: Long An + Tây Ninh"),
    ("can-tho-2025", "92", _CITY, "Cần Thơ", "Can Tho",
     REFORM_DAY, None, f"{R202}: Sóc Trăng + Hậu Giang + Cần Thơ"),
    ("vinh-long-2025", "86", _PROVINCE, "Vĩnh Long", "Vinh Long",
     REFORM_DAY, None, f"{R202}: Bến Tre + Trà Vinh + Vĩnh Long"),
    ("dong-thap-2025", "82", _PROVINCE, "Đồng Tháp", "Dong Thap",
     REFORM_DAY, None, f"{R202}: Tiền Giang + Đồng Tháp"),
    ("ca-mau-2025", "96", _PROVINCE, "Cà Mau", "Ca Mau",
     REFORM_DAY, None, f"{R202}: Bạc Liêu + Cà Mau"),
    ("an-giang-2025", "91", _PROVINCE, "An Giang", "An Giang",
     REFORM_DAY, None, f"{R202}: Kiên Giang + An Giang"),
]  # fmt: skip

# merged province (from 1 July 2025) -> the provinces it was made of
_MERGERS = {
    "tuyen-quang-2025": ["ha-giang-pre2025", "tuyen-quang-pre2025"],
    "lao-cai-2025": ["yen-bai-pre2025", "lao-cai-pre2025"],
    "phu-tho-2025": ["vinh-phuc-pre2025", "hoa-binh-pre2025", "phu-tho-pre2025"],
    "bac-ninh-2025": ["bac-giang-pre2025", "bac-ninh-pre2025"],
    "hung-yen-2025": ["thai-binh-pre2025", "hung-yen-pre2025"],
    "hai-phong-2025": ["hai-duong-pre2025", "hai-phong-pre2025"],
    "ninh-binh-2025": ["ha-nam-pre2025", "nam-dinh-pre2025", "ninh-binh-pre2025"],
    "quang-tri-2025": ["quang-binh-pre2025", "quang-tri-pre2025"],
    "da-nang-2025": ["quang-nam-pre2025", "da-nang-pre2025"],
    "quang-ngai-2025": ["kon-tum-pre2025", "quang-ngai-pre2025"],
    "gia-lai-2025": ["binh-dinh-pre2025", "gia-lai-pre2025"],
    "khanh-hoa-2025": ["ninh-thuan-pre2025", "khanh-hoa-pre2025"],
    "lam-dong-2025": ["dak-nong-pre2025", "binh-thuan-pre2025", "lam-dong-pre2025"],
    "dak-lak-2025": ["phu-yen-pre2025", "dak-lak-pre2025"],
    "ho-chi-minh-2025": [
        "binh-duong-pre2025", "ba-ria-vung-tau-pre2025", "ho-chi-minh-pre2025",
    ],
    "dong-nai-2025": ["binh-phuoc-pre2025", "dong-nai-pre2025"],
    "tay-ninh-2025": ["long-an-pre2025", "tay-ninh-pre2025"],
    "can-tho-2025": ["soc-trang-pre2025", "hau-giang-pre2025", "can-tho-pre2025"],
    "vinh-long-2025": ["ben-tre-pre2025", "tra-vinh-pre2025", "vinh-long-pre2025"],
    "dong-thap-2025": ["tien-giang-pre2025", "dong-thap-pre2025"],
    "ca-mau-2025": ["bac-lieu-pre2025", "ca-mau-pre2025"],
    "an-giang-2025": ["kien-giang-pre2025", "an-giang-pre2025"],
}  # fmt: skip

# predecessor code -> successor codes
SUCCESSIONS = {
    "thua-thien-hue": ["hue"],
    **{old: [new] for new, olds in _MERGERS.items() for old in olds},
}


def reference_provinces_load(apps, schema_editor=None) -> None:
    """Upsert the provinces by code and add their successions (historical models; safe
    to re-run). Units of reference_data are looked up, never rewritten."""
    Unit = apps.get_model("catalogue", "AdministrativeUnit")

    units = {}
    for code, official, kind, name_vi, name_en, start, end, src in PROVINCES:
        kind_vi, kind_en = kind
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "official_code": official, "level": "province", "kind_vi": kind_vi,
                "kind_en": kind_en, "name_vi": name_vi, "name_en": name_en,
                "parent": None, "valid_from": start, "valid_to": end, "source": src,
            },
        )  # fmt: skip
    for code, successor_codes in SUCCESSIONS.items():
        units[code].successors.add(*[units[c] for c in successor_codes])
