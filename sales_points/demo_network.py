"""Names and places of the demo sales-point network of Thai Nguyen (the article's
130+ commune-level and 20+ district-level outlets, the Hai Dang Rest Station and the
Trade Promotion Center in Hanoi), and the anchors of the national-scale outlets.

Plain data, read by sales_points.demo. Coordinates are approximate (a few hundred
metres to a few kilometres): good enough for a map and for "nearest outlet", not for
navigation. The communes are real pre-2025 commune-level units (xã, phường, thị
trấn) of each district; not every one of the 172 has an outlet."""

# District code (catalogue.reference_data) -> approximate centre (the district seat).
DISTRICT_CENTRES = {
    "tp-thai-nguyen": (21.5928, 105.8442),
    "tp-song-cong": (21.4760, 105.8400),
    "tp-pho-yen": (21.4150, 105.8720),
    "dai-tu": (21.6330, 105.6400),
    "dinh-hoa": (21.9060, 105.6440),
    "dong-hy": (21.6600, 105.9200),
    "phu-luong": (21.7450, 105.7250),
    "phu-binh": (21.4880, 105.9750),
    "vo-nhai": (21.7560, 106.0750),
}

# How far (km) commune outlets lie from the centre: the three cities are compact.
DISTRICT_RADIUS_KM = {
    "tp-thai-nguyen": 8,
    "tp-song-cong": 6,
    "tp-pho-yen": 8,
    "dai-tu": 12,
    "dinh-hoa": 11,
    "dong-hy": 10,
    "phu-luong": 10,
    "phu-binh": 9,
    "vo-nhai": 12,
}

# Districts whose products an outlet stocks after its own district's ("near").
NEIGHBOURS = {
    "tp-thai-nguyen": ["dong-hy", "phu-luong", "dai-tu", "tp-song-cong", "phu-binh"],
    "tp-song-cong": ["tp-thai-nguyen", "tp-pho-yen", "dai-tu", "phu-binh"],
    "tp-pho-yen": ["tp-song-cong", "phu-binh", "dai-tu"],
    "dai-tu": ["dinh-hoa", "phu-luong", "tp-thai-nguyen", "tp-song-cong"],
    "dinh-hoa": ["dai-tu", "phu-luong"],
    "dong-hy": ["tp-thai-nguyen", "phu-luong", "vo-nhai", "phu-binh"],
    "phu-luong": ["dinh-hoa", "dai-tu", "tp-thai-nguyen", "dong-hy"],
    "phu-binh": ["tp-thai-nguyen", "tp-song-cong", "tp-pho-yen", "dong-hy"],
    "vo-nhai": ["dong-hy", "phu-luong"],
}

# Commune-level units with a commune outlet, per district ("kind name", Vietnamese).
COMMUNES = {
    "tp-thai-nguyen": [
        "xã Tân Cương", "xã Phúc Xuân", "xã Phúc Trìu", "xã Thịnh Đức",
        "xã Quyết Thắng", "xã Phúc Hà", "xã Cao Ngạn", "xã Huống Thượng", "xã Linh Sơn",
        "xã Sơn Cẩm", "phường Tích Lương", "phường Quang Trung",
        "phường Phan Đình Phùng", "phường Gia Sàng", "phường Túc Duyên",
        "phường Quán Triều", "phường Đồng Bẩm", "phường Chùa Hang",
    ],
    "tp-song-cong": [
        "xã Bình Sơn", "xã Bá Xuyên", "xã Tân Quang", "xã Vinh Sơn", "phường Phố Cò",
        "phường Cải Đan", "phường Thắng Lợi", "phường Lương Sơn", "phường Mỏ Chè",
        "phường Bách Quang", "phường Châu Sơn",
    ],
    "tp-pho-yen": [
        "phường Ba Hàng", "phường Bãi Bông", "phường Bắc Sơn", "phường Đồng Tiến",
        "phường Hồng Tiến", "phường Đắc Sơn", "phường Nam Tiến", "phường Tân Hương",
        "phường Đông Cao", "phường Tiên Phong", "phường Thuận Thành", "xã Phúc Tân",
        "xã Phúc Thuận", "xã Thành Công", "xã Minh Đức", "xã Vạn Phái",
    ],
    "dai-tu": [
        "thị trấn Hùng Sơn", "thị trấn Quân Chu", "xã La Bằng", "xã Hoàng Nông",
        "xã Phú Xuyên", "xã Phú Thịnh", "xã Bản Ngoại", "xã Tân Linh", "xã Phục Linh",
        "xã Tiên Hội", "xã Yên Lãng", "xã Minh Tiến", "xã Phú Lạc", "xã Đức Lương",
        "xã Cù Vân", "xã Hà Thượng", "xã Vạn Phú", "xã Khôi Kỳ", "xã Mỹ Yên",
        "xã Tân Thái",
    ],
    "dinh-hoa": [
        "thị trấn Chợ Chu", "xã Bảo Cường", "xã Bảo Linh", "xã Bình Thành",
        "xã Bình Yên", "xã Điềm Mặc", "xã Định Biên", "xã Đồng Thịnh", "xã Kim Phượng",
        "xã Lam Vỹ", "xã Linh Thông", "xã Phú Đình", "xã Phúc Chu", "xã Phượng Tiến",
        "xã Quy Kỳ", "xã Sơn Phú", "xã Tân Dương", "xã Trung Hội",
    ],
    "dong-hy": [
        "thị trấn Trại Cau", "thị trấn Sông Cầu", "xã Minh Lập", "xã Hóa Trung",
        "xã Hóa Thượng", "xã Cây Thị", "xã Hợp Tiến", "xã Khe Mo", "xã Nam Hòa",
        "xã Quang Sơn", "xã Tân Long", "xã Văn Hán", "xã Hòa Bình",
    ],
    "phu-luong": [
        "thị trấn Đu", "thị trấn Giang Tiên", "xã Vô Tranh", "xã Yên Ninh",
        "xã Yên Trạch", "xã Yên Đổ", "xã Yên Lạc", "xã Động Đạt", "xã Phủ Lý",
        "xã Hợp Thành", "xã Ôn Lương", "xã Phấn Mễ", "xã Tức Tranh", "xã Phú Đô",
    ],
    "phu-binh": [
        "thị trấn Hương Sơn", "xã Bảo Lý", "xã Dương Thành", "xã Điềm Thụy",
        "xã Đào Xá", "xã Hà Châu", "xã Kha Sơn", "xã Lương Phú", "xã Nga My",
        "xã Nhã Lộng", "xã Tân Đức", "xã Tân Hòa", "xã Tân Khánh", "xã Tân Kim",
        "xã Thanh Ninh", "xã Thượng Đình", "xã Úc Kỳ",
    ],
    "vo-nhai": [
        "thị trấn Đình Cả", "xã La Hiên", "xã Lâu Thượng", "xã Phú Thượng",
        "xã Tràng Xá", "xã Dân Tiến", "xã Bình Long", "xã Phương Giao", "xã Cúc Đường",
        "xã Liên Minh", "xã Nghinh Tường", "xã Thần Sa", "xã Vũ Chấn",
    ],
}  # fmt: skip

# Vietnamese kind of commune-level unit -> English.
UNIT_KINDS_EN = {"xã": "commune", "phường": "ward", "thị trấn": "town"}

# Communes that are units of catalogue.reference_data: the outlet's region is the
# commune itself, at its approximate centre.
REFERENCE_COMMUNES = {
    "xã Tân Cương": ("tan-cuong-pre2025", 21.5580, 105.7740),
    "xã Thịnh Đức": ("thinh-duc", 21.5400, 105.7930),
    "xã Phúc Xuân": ("phuc-xuan", 21.6180, 105.7430),
    "xã Phúc Trìu": ("phuc-triu", 21.5900, 105.7520),
    "xã Quyết Thắng": ("quyet-thang", 21.5820, 105.7900),
    "xã Phúc Hà": ("phuc-ha", 21.6150, 105.7950),
    "xã Bình Sơn": ("binh-son", 21.5110, 105.7800),
    "xã La Bằng": ("la-bang", 21.6820, 105.5930),
    "xã Minh Lập": ("minh-lap", 21.6800, 105.9560),
    "xã Vô Tranh": ("vo-tranh", 21.7040, 105.7950),
}

# Kinds decided by what the commune is known for; the others are drawn by weight.
CRAFT_VILLAGES = {  # tea craft villages (làng nghề chè)
    "xã Phúc Trìu", "xã La Bằng", "xã Hoàng Nông", "xã Minh Lập", "xã Khe Mo",
    "xã Hòa Bình", "xã Vô Tranh", "xã Phú Đô", "xã Tức Tranh", "xã Bá Xuyên",
}  # fmt: skip
TOURISM = {  # community tourism and historic sites
    "xã Thịnh Đức", "xã Phúc Xuân", "xã Tân Thái", "xã Phú Đình", "xã Điềm Mặc",
    "xã Thần Sa", "xã Phú Thượng", "xã Phú Xuyên",
}  # fmt: skip
# District seats: the district outlet is at the market, the commune one at the post office.
POST_OFFICES = {
    "thị trấn Hùng Sơn", "thị trấn Chợ Chu", "thị trấn Đu", "thị trấn Hương Sơn",
    "thị trấn Đình Cả", "phường Ba Hàng", "thị trấn Trại Cau", "phường Thắng Lợi",
}  # fmt: skip

# Weights of the drawn kinds: rural communes, and wards and towns.
COMMUNE_KIND_WEIGHTS = {"commune_centre": 60, "post_office": 30, "market": 10}
URBAN_KIND_WEIGHTS = {"market": 50, "post_office": 35, "commune_centre": 15}

# District-level outlets: district, kind, name vi, name en, latitude, longitude, address.
DISTRICT_OUTLETS = [
    ("tp-thai-nguyen", "market", "Điểm giới thiệu và bán sản phẩm OCOP chợ Thái",
     "OCOP showroom, Thai market", 21.5905, 105.8447,
     "Chợ Thái, đường Hoàng Văn Thụ, thành phố Thái Nguyên"),
    ("tp-thai-nguyen", "tourism",
     "Điểm bán OCOP Bảo tàng Văn hóa các dân tộc Việt Nam",
     "OCOP shop, Museum of Cultures of Vietnam's Ethnic Groups", 21.5915, 105.8320,
     "Số 1 đường Đội Cấn, thành phố Thái Nguyên"),
    ("tp-thai-nguyen", "transport_hub", "Điểm bán OCOP bến xe khách Thái Nguyên",
     "OCOP kiosk, Thai Nguyen coach station", 21.5815, 105.8470,
     "Bến xe khách trung tâm, đường Cách Mạng Tháng Tám, thành phố Thái Nguyên"),
    ("tp-song-cong", "market", "Điểm bán OCOP chợ trung tâm Sông Công",
     "OCOP stall, Song Cong central market", 21.4800, 105.8450,
     "Chợ trung tâm, đường Cách Mạng Tháng Mười, thành phố Sông Công"),
    ("tp-song-cong", "commune_centre", "Điểm bán OCOP khu công nghiệp Sông Công I",
     "OCOP shop, Song Cong I industrial zone", 21.4700, 105.8330,
     "Khu công nghiệp Sông Công I, thành phố Sông Công"),
    ("tp-pho-yen", "market", "Điểm bán OCOP chợ Ba Hàng",
     "OCOP stall, Ba Hang market", 21.4170, 105.8735,
     "Chợ Ba Hàng, phường Ba Hàng, thành phố Phổ Yên"),
    ("tp-pho-yen", "commune_centre", "Điểm bán OCOP khu công nghiệp Yên Bình",
     "OCOP shop, Yen Binh industrial zone", 21.4400, 105.9000,
     "Khu công nghiệp Yên Bình, thành phố Phổ Yên"),
    ("tp-pho-yen", "transport_hub", "Điểm bán OCOP ga Phổ Yên",
     "OCOP kiosk, Pho Yen railway station", 21.4230, 105.8620,
     "Ga Phổ Yên, thành phố Phổ Yên"),
    ("dai-tu", "tourism", "Điểm bán OCOP khu du lịch Hồ Núi Cốc",
     "OCOP shop, Nui Coc Lake resort", 21.5960, 105.7200,
     "Khu du lịch Hồ Núi Cốc, huyện Đại Từ"),
    ("dai-tu", "market", "Điểm bán OCOP chợ Đại Từ", "OCOP stall, Dai Tu market",
     21.6335, 105.6425, "Chợ Đại Từ, thị trấn Hùng Sơn, huyện Đại Từ"),
    ("dai-tu", "commune_centre", "Trung tâm giới thiệu sản phẩm OCOP huyện Đại Từ",
     "Dai Tu district OCOP showroom", 21.6310, 105.6370,
     "Tổ dân phố Sơn Tập, thị trấn Hùng Sơn, huyện Đại Từ"),
    ("dinh-hoa", "tourism", "Điểm bán OCOP khu di tích ATK Định Hóa",
     "OCOP shop, ATK Dinh Hoa historic site", 21.8830, 105.6150,
     "Khu di tích lịch sử ATK Định Hóa, huyện Định Hóa"),
    ("dinh-hoa", "market", "Điểm bán OCOP chợ trung tâm Chợ Chu",
     "OCOP stall, Cho Chu central market", 21.9050, 105.6455,
     "Chợ trung tâm, thị trấn Chợ Chu, huyện Định Hóa"),
    ("dinh-hoa", "post_office", "Điểm bán OCOP bưu điện huyện Định Hóa",
     "OCOP corner, Dinh Hoa district post office", 21.9070, 105.6420,
     "Bưu điện huyện, thị trấn Chợ Chu, huyện Định Hóa"),
    ("dong-hy", "commune_centre", "Trung tâm giới thiệu sản phẩm OCOP huyện Đồng Hỷ",
     "Dong Hy district OCOP showroom", 21.6580, 105.9180,
     "Trung tâm huyện Đồng Hỷ"),
    ("dong-hy", "market", "Điểm bán OCOP chợ Trại Cau", "OCOP stall, Trai Cau market",
     21.6850, 105.9650, "Chợ Trại Cau, thị trấn Trại Cau, huyện Đồng Hỷ"),
    ("phu-luong", "market", "Điểm bán OCOP chợ Đu", "OCOP stall, Du market",
     21.7460, 105.7260, "Chợ Đu, thị trấn Đu, huyện Phú Lương"),
    ("phu-luong", "commune_centre", "Trung tâm giới thiệu sản phẩm OCOP huyện Phú Lương",
     "Phu Luong district OCOP showroom", 21.7380, 105.7230,
     "Quốc lộ 3, thị trấn Đu, huyện Phú Lương"),
    ("phu-binh", "market", "Điểm bán OCOP chợ Úc Sơn", "OCOP stall, Uc Son market",
     21.4870, 105.9720, "Chợ Úc Sơn, thị trấn Hương Sơn, huyện Phú Bình"),
    ("phu-binh", "commune_centre", "Điểm bán OCOP khu công nghiệp Điềm Thụy",
     "OCOP shop, Diem Thuy industrial zone", 21.4680, 105.9350,
     "Khu công nghiệp Điềm Thụy, huyện Phú Bình"),
    ("vo-nhai", "tourism", "Điểm bán OCOP khu du lịch hang Phượng Hoàng – suối Mỏ Gà",
     "OCOP shop, Phuong Hoang cave and Mo Ga stream", 21.7800, 106.0300,
     "Xã Phú Thượng, huyện Võ Nhai"),
    ("vo-nhai", "commune_centre", "Trung tâm giới thiệu sản phẩm OCOP huyện Võ Nhai",
     "Vo Nhai district OCOP showroom", 21.7565, 106.0760,
     "Quốc lộ 1B, thị trấn Đình Cả, huyện Võ Nhai"),
]  # fmt: skip

# The two special outlets of the article: code, kind, region, name vi, name en,
# latitude, longitude, address, phone.
SPECIAL_OUTLETS = [
    ("tram-dung-nghi-hai-dang", "rest_stop", "tp-pho-yen",
     "Điểm bán OCOP Trạm dừng nghỉ Hải Đăng", "OCOP shop, Hai Dang Rest Station",
     21.4300, 105.8700,
     "Trạm dừng nghỉ Hải Đăng, cao tốc Hà Nội – Thái Nguyên (CT07), "
     "thành phố Phổ Yên, tỉnh Thái Nguyên", "0208 3866 868"),
    ("hn-xuc-tien-thuong-mai", "fair_centre", "ha-noi",
     "Điểm giới thiệu và bán sản phẩm OCOP Thái Nguyên tại Trung tâm Xúc tiến "
     "thương mại", "Thai Nguyen OCOP showroom at the Trade Promotion Center",
     21.0465, 105.7985, "Đường Hoàng Quốc Việt, quận Cầu Giấy, Hà Nội",
     "024 3734 5678"),
]  # fmt: skip

# National scale: province, English name, latitude, longitude, scatter radius (km),
# weight. The region of each outlet is the nearest unit the reference data has.
NATIONAL_ANCHORS = [
    ("Hà Nội", "Hanoi", 21.0285, 105.8542, 18, 12),
    ("TP. Hồ Chí Minh", "Ho Chi Minh City", 10.7769, 106.7009, 18, 12),
    ("Hải Phòng", "Hai Phong", 20.8449, 106.6881, 12, 4),
    ("Đà Nẵng", "Da Nang", 16.0544, 108.2022, 8, 4),
    ("Cần Thơ", "Can Tho", 10.0452, 105.7469, 12, 4),
    ("Thái Nguyên", "Thai Nguyen", 21.5942, 105.8482, 20, 4),
    ("Thái Nguyên (Bắc Kạn)", "Thai Nguyen (Bac Kan)", 22.1470, 105.8348, 20, 2),
    ("Huế", "Hue", 16.4637, 107.5909, 10, 3),
    ("Nghệ An", "Nghe An", 18.6796, 105.6813, 20, 4),
    ("Thanh Hóa", "Thanh Hoa", 19.8067, 105.7852, 20, 4),
    ("Quảng Ninh", "Quang Ninh", 21.0100, 107.0000, 12, 3),
    ("Lào Cai", "Lao Cai", 22.4856, 103.9707, 15, 2),
    ("Điện Biên", "Dien Bien", 21.3860, 103.0230, 15, 1),
    ("Lạng Sơn", "Lang Son", 21.8537, 106.7615, 15, 2),
    ("Tuyên Quang", "Tuyen Quang", 21.8236, 105.2140, 15, 2),
    ("Sơn La", "Son La", 21.3256, 103.9188, 15, 2),
    ("Phú Thọ", "Phu Tho", 21.3227, 105.4020, 15, 2),
    ("Bắc Ninh", "Bac Ninh", 21.1861, 106.0763, 10, 2),
    ("Hưng Yên", "Hung Yen", 20.6464, 106.0511, 10, 2),
    ("Ninh Bình", "Ninh Binh", 20.2506, 105.9745, 12, 3),
    ("Quảng Trị", "Quang Tri", 16.8163, 107.1003, 12, 1),
    ("Quảng Ngãi", "Quang Ngai", 15.1205, 108.7923, 10, 2),
    ("Gia Lai", "Gia Lai", 13.9833, 108.0000, 20, 2),
    ("Đắk Lắk", "Dak Lak", 12.6667, 108.0500, 20, 3),
    ("Khánh Hòa", "Khanh Hoa", 12.2700, 109.1500, 6, 2),
    ("Lâm Đồng", "Lam Dong", 11.9404, 108.4583, 15, 2),
    ("Đồng Nai", "Dong Nai", 10.9574, 106.8427, 15, 3),
    ("Tây Ninh", "Tay Ninh", 11.3100, 106.0983, 15, 1),
    ("Đồng Tháp", "Dong Thap", 10.4600, 105.6300, 15, 2),
    ("An Giang", "An Giang", 10.3865, 105.4352, 15, 2),
    ("Vĩnh Long", "Vinh Long", 10.2500, 105.9700, 12, 2),
    ("Cà Mau", "Ca Mau", 9.1769, 105.1524, 15, 2),
]  # fmt: skip
