"""Reference data loaded by migration: administrative units of Thai Nguyen (before and
after the 1 July 2025 reform), OCOP product-group schemes and issuing authorities.

Facts and their sources are in ../shared/reference/ocop-domain.md. Only successions that
a source documents are recorded; the other pre-2025 communes end on 30 June 2025 with no
successor until one is checked, which is data, not a migration of meaning."""

import datetime as dt

REFORM_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)
RE_ESTABLISHED_1997 = dt.date(1997, 1, 1)

# code, official code, level, kind vi, kind en, name vi, name en, parent, from, to, source
UNITS = [
    ("thai-nguyen-1997", "19", "province", "tỉnh", "province", "Thái Nguyên", "Thai Nguyen",
     None, RE_ESTABLISHED_1997, LAST_DAY_BEFORE_REFORM, "Resolution 202/2025/QH15"),
    ("bac-kan-1997", "06", "province", "tỉnh", "province", "Bắc Kạn", "Bac Kan",
     None, RE_ESTABLISHED_1997, LAST_DAY_BEFORE_REFORM, "Resolution 202/2025/QH15"),
    ("thai-nguyen-2025", "19", "province", "tỉnh", "province", "Thái Nguyên", "Thai Nguyen",
     None, REFORM_DAY, None, "Resolution 202/2025/QH15: Bắc Kạn merged into Thái Nguyên"),
    ("ha-noi", "01", "province", "thành phố", "city", "Hà Nội", "Hanoi",
     None, None, None, ""),
    # The nine district-level units of Thai Nguyen before the district level was abolished.
    ("tp-thai-nguyen", "164", "district", "thành phố", "city", "Thái Nguyên", "Thai Nguyen",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("tp-song-cong", "165", "district", "thành phố", "city", "Sông Công", "Song Cong",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("dinh-hoa", "167", "district", "huyện", "district", "Định Hóa", "Dinh Hoa",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("phu-luong", "168", "district", "huyện", "district", "Phú Lương", "Phu Luong",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("dong-hy", "169", "district", "huyện", "district", "Đồng Hỷ", "Dong Hy",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("vo-nhai", "170", "district", "huyện", "district", "Võ Nhai", "Vo Nhai",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("dai-tu", "171", "district", "huyện", "district", "Đại Từ", "Dai Tu",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("tp-pho-yen", "172", "district", "thành phố", "city", "Phổ Yên", "Pho Yen",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("phu-binh", "173", "district", "huyện", "district", "Phú Bình", "Phu Binh",
     "thai-nguyen-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    ("ba-be", "", "district", "huyện", "district", "Ba Bể", "Ba Be",
     "bac-kan-1997", None, LAST_DAY_BEFORE_REFORM, ""),
    # Communes of the tea areas and other demo origins.
    ("tan-cuong-pre2025", "", "commune", "xã", "commune", "Tân Cương", "Tan Cuong",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, "Resolution 1683/NQ-UBTVQH15"),
    ("thinh-duc", "", "commune", "xã", "commune", "Thịnh Đức", "Thinh Duc",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, "Resolution 1683/NQ-UBTVQH15"),
    ("binh-son", "", "commune", "xã", "commune", "Bình Sơn", "Binh Son",
     "tp-song-cong", None, LAST_DAY_BEFORE_REFORM, "Resolution 1683/NQ-UBTVQH15"),
    ("phuc-xuan", "", "commune", "xã", "commune", "Phúc Xuân", "Phuc Xuan",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, ""),
    ("phuc-triu", "", "commune", "xã", "commune", "Phúc Trìu", "Phuc Triu",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, ""),
    ("quyet-thang", "", "commune", "xã", "commune", "Quyết Thắng", "Quyet Thang",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, ""),
    ("phuc-ha", "", "commune", "xã", "commune", "Phúc Hà", "Phuc Ha",
     "tp-thai-nguyen", None, LAST_DAY_BEFORE_REFORM, ""),
    ("la-bang", "", "commune", "xã", "commune", "La Bằng", "La Bang",
     "dai-tu", None, LAST_DAY_BEFORE_REFORM, ""),
    ("minh-lap", "", "commune", "xã", "commune", "Minh Lập", "Minh Lap",
     "dong-hy", None, LAST_DAY_BEFORE_REFORM, ""),
    ("vo-tranh", "", "commune", "xã", "commune", "Vô Tranh", "Vo Tranh",
     "phu-luong", None, LAST_DAY_BEFORE_REFORM, ""),
    # After 1 July 2025: communes directly under the (merged) province.
    ("tan-cuong-2025", "", "commune", "xã", "commune", "Tân Cương", "Tan Cuong",
     "thai-nguyen-2025", REFORM_DAY, None,
     "Resolution 1683/NQ-UBTVQH15: Thịnh Đức + Bình Sơn + Tân Cương"),
]  # fmt: skip

# predecessor code -> successor codes (documented successions only)
SUCCESSIONS = {
    "thai-nguyen-1997": ["thai-nguyen-2025"],
    "bac-kan-1997": ["thai-nguyen-2025"],
    **{
        district: ["thai-nguyen-2025"]  # the district level was abolished nationwide
        for district in (
            "tp-thai-nguyen", "tp-song-cong", "dinh-hoa", "phu-luong", "dong-hy",
            "vo-nhai", "dai-tu", "tp-pho-yen", "phu-binh", "ba-be",
        )
    },
    "tan-cuong-pre2025": ["tan-cuong-2025"],
    "thinh-duc": ["tan-cuong-2025"],
    "binh-son": ["tan-cuong-2025"],
}  # fmt: skip

# scheme code, name, decision, valid from, valid to
SCHEMES = [
    ("1048-2019", "OCOP 2019 (1048/QĐ-TTg)", "1048/QĐ-TTg", dt.date(2019, 8, 21),
     dt.date(2023, 2, 23)),
    ("148-2023", "OCOP 2023 (148/QĐ-TTg)", "148/QĐ-TTg", dt.date(2023, 2, 24), None),
]  # fmt: skip

# scheme, code, parent code, name vi, name en
GROUPS = [
    ("148-2023", "food", None, "Thực phẩm", "Food"),
    ("148-2023", "food-fresh", "food", "Nông sản tươi sống và sơ chế", "Fresh and raw produce"),
    ("148-2023", "food-processed", "food", "Thực phẩm chế biến", "Processed food"),
    ("148-2023", "beverages", None, "Đồ uống", "Beverages"),
    ("148-2023", "tea", "beverages", "Chè và sản phẩm từ chè", "Tea and tea products"),
    ("148-2023", "other-drinks", "beverages", "Đồ uống khác", "Other drinks"),
    ("148-2023", "herbs", None, "Dược liệu và sản phẩm từ dược liệu",
     "Medicinal herbs and herbal products"),
    ("148-2023", "handicrafts", None, "Thủ công mỹ nghệ", "Handicrafts"),
    ("148-2023", "ornamental", None, "Sinh vật cảnh", "Ornamental plants and animals"),
    ("148-2023", "tourism", None,
     "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
     "Community tourism, eco-tourism and tourist sites"),
    ("1048-2019", "food", None, "Thực phẩm", "Food"),
    ("1048-2019", "beverages", None, "Đồ uống", "Beverages"),
    ("1048-2019", "herbs", None, "Thảo dược", "Herbs"),
    ("1048-2019", "textiles", None, "Vải và may mặc", "Textiles and garments"),
    ("1048-2019", "souvenirs", None, "Lưu niệm, nội thất, trang trí",
     "Souvenirs, furniture and decoration"),
    ("1048-2019", "rural-tourism", None, "Dịch vụ du lịch nông thôn, bán hàng",
     "Rural tourism and sales services"),
]  # fmt: skip

# code, level, name vi, name en, region code
AUTHORITIES = [
    ("mard", "central", "Bộ Nông nghiệp và Phát triển nông thôn",
     "Ministry of Agriculture and Rural Development", None),
    ("mae", "central", "Bộ Nông nghiệp và Môi trường",
     "Ministry of Agriculture and Environment", None),
    ("ubnd-thai-nguyen-1997", "province", "UBND tỉnh Thái Nguyên",
     "Thai Nguyen Provincial People's Committee", "thai-nguyen-1997"),
    ("ubnd-bac-kan-1997", "province", "UBND tỉnh Bắc Kạn",
     "Bac Kan Provincial People's Committee", "bac-kan-1997"),
    ("ubnd-thai-nguyen-2025", "province", "UBND tỉnh Thái Nguyên",
     "Thai Nguyen Provincial People's Committee", "thai-nguyen-2025"),
    ("ubnd-tp-thai-nguyen", "district", "UBND thành phố Thái Nguyên",
     "Thai Nguyen City People's Committee", "tp-thai-nguyen"),
    ("ubnd-tp-song-cong", "district", "UBND thành phố Sông Công",
     "Song Cong City People's Committee", "tp-song-cong"),
    ("ubnd-tp-pho-yen", "district", "UBND thành phố Phổ Yên",
     "Pho Yen City People's Committee", "tp-pho-yen"),
    ("ubnd-dai-tu", "district", "UBND huyện Đại Từ", "Dai Tu District People's Committee",
     "dai-tu"),
    ("ubnd-dinh-hoa", "district", "UBND huyện Định Hóa",
     "Dinh Hoa District People's Committee", "dinh-hoa"),
    ("ubnd-dong-hy", "district", "UBND huyện Đồng Hỷ", "Dong Hy District People's Committee",
     "dong-hy"),
    ("ubnd-phu-luong", "district", "UBND huyện Phú Lương",
     "Phu Luong District People's Committee", "phu-luong"),
    ("ubnd-phu-binh", "district", "UBND huyện Phú Bình",
     "Phu Binh District People's Committee", "phu-binh"),
    ("ubnd-vo-nhai", "district", "UBND huyện Võ Nhai",
     "Vo Nhai District People's Committee", "vo-nhai"),
]  # fmt: skip


def reference_data_load(apps, schema_editor=None) -> None:
    """Upsert the reference data by code (historical models; safe to re-run)."""
    Unit = apps.get_model("catalogue", "AdministrativeUnit")
    Scheme = apps.get_model("catalogue", "ProductGroupScheme")
    Group = apps.get_model("catalogue", "ProductGroup")
    Authority = apps.get_model("catalogue", "IssuingAuthority")

    units = {}
    for (
        code,
        official,
        level,
        kind_vi,
        kind_en,
        name_vi,
        name_en,
        parent,
        start,
        end,
        src,
    ) in UNITS:
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "official_code": official, "level": level, "kind_vi": kind_vi,
                "kind_en": kind_en, "name_vi": name_vi, "name_en": name_en,
                "parent": units.get(parent), "valid_from": start, "valid_to": end,
                "source": src,
            },
        )  # fmt: skip
    for code, successor_codes in SUCCESSIONS.items():
        units[code].successors.add(*[units[c] for c in successor_codes])

    schemes = {}
    for code, name, decision, start, end in SCHEMES:
        schemes[code], _ = Scheme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "decision": decision,
                "valid_from": start,
                "valid_to": end,
            },
        )
    groups = {}
    for position, (scheme, code, parent, name_vi, name_en) in enumerate(GROUPS):
        groups[scheme, code], _ = Group.objects.update_or_create(
            scheme=schemes[scheme],
            code=code,
            defaults={
                "parent": groups.get((scheme, parent)), "name_vi": name_vi,
                "name_en": name_en, "position": position,
            },
        )  # fmt: skip

    for code, level, name_vi, name_en, region in AUTHORITIES:
        Authority.objects.update_or_create(
            code=code,
            defaults={
                "level": level, "name_vi": name_vi, "name_en": name_en,
                "region": units.get(region),
            },
        )  # fmt: skip
