"""The words of the demo pages, in Vietnamese and English: plain data read by cms.demo.

Facts come from ../shared/reference (the June 2024 article on Thai Nguyen's OCOP
programme and the domain notes). Coordinates are approximate, good enough for a map
pin. Products and outlets are not named here: cms.demo picks real demo products by the
`products` filters and the outlets that stock them, preferring the `outlets` codes."""

import datetime as dt

# Tết (first day of the lunar year): the Tết gifts campaign ends the day before.
TET_DAYS = [
    dt.date(2026, 2, 17),
    dt.date(2027, 2, 6),
    dt.date(2028, 1, 26),
    dt.date(2029, 2, 13),
    dt.date(2030, 2, 3),
]

INDEXES = {
    "stories": {
        "title": {"vi": "Câu chuyện du lịch", "en": "Travel stories"},
        "intro": {
            "vi": "<p>Đồi chè, làng nghề, bản homestay: những hành trình gắn với sản "
            "phẩm OCOP Thái Nguyên, và nơi mua chúng.</p>",
            "en": "<p>Tea hills, craft villages and homestays: journeys through Thai "
            "Nguyen's OCOP products, and where to buy them.</p>",
        },
    },
    "events": {
        "title": {"vi": "Sự kiện", "en": "Events"},
        "intro": {
            "vi": "<p>Hội chợ, triển lãm, lễ hội và các hoạt động xúc tiến thương mại "
            "giới thiệu sản phẩm OCOP.</p>",
            "en": "<p>Fairs, exhibitions, festivals and trade-promotion events "
            "showcasing OCOP products.</p>",
        },
    },
    "campaigns": {
        "title": {"vi": "Khuyến mãi", "en": "Campaigns"},
        "intro": {
            "vi": "<p>Các chương trình khuyến mãi đang diễn ra: quà Tết, mùa trà mới.</p>",
            "en": "<p>Promotions running now: Tết gifts, the new tea season.</p>",
        },
    },
    "news": {
        "title": {"vi": "Tin tức", "en": "News"},
        "intro": {
            "vi": "<p>Tin tức về chương trình Mỗi xã một sản phẩm (OCOP) tỉnh Thái "
            "Nguyên.</p>",
            "en": "<p>News of the One Commune One Product (OCOP) programme in Thai "
            "Nguyen.</p>",
        },
    },
    "producers": {
        "title": {"vi": "Chủ thể OCOP", "en": "OCOP producers"},
        "intro": {
            "vi": "<p>Hợp tác xã, doanh nghiệp và hộ sản xuất có sản phẩm đạt chuẩn "
            "OCOP: câu chuyện, sản phẩm và nơi bán.</p>",
            "en": "<p>The cooperatives, companies and households behind OCOP-certified "
            "products: their stories, products and where to buy them.</p>",
        },
    },
}

FORM = {
    "slug": "lien-he",
    "title": {"vi": "Liên hệ bán buôn và đặt tour", "en": "Wholesale and tour enquiries"},
    "intro": {
        "vi": "<p>Bạn muốn nhập sản phẩm OCOP Thái Nguyên với số lượng lớn, hay đặt "
        "một chuyến tham quan đồi chè, làng nghề? Hãy để lại lời nhắn, chúng tôi sẽ "
        "trả lời trong hai ngày làm việc.</p>",
        "en": "<p>Buying Thai Nguyen OCOP products wholesale, or planning a visit to the "
        "tea hills and craft villages? Leave us a message and we will answer within two "
        "working days.</p>",
    },
    "thank_you_text": {
        "vi": "<p>Cảm ơn bạn! Chúng tôi đã nhận được lời nhắn.</p>",
        "en": "<p>Thank you! We have received your message.</p>",
    },
    "subject": {"vi": "Liên hệ từ trang OCOP", "en": "Enquiry from the OCOP site"},
    "to_address": "lienhe@ocop.local",
    "from_address": "no-reply@ocop.local",
    # (field type, required, Vietnamese label, English label, choices vi, choices en)
    "fields": [
        ("singleline", True, "Họ và tên", "Full name", "", ""),
        ("email", True, "Email", "Email", "", ""),
        ("singleline", False, "Số điện thoại", "Phone", "", ""),
        ("dropdown", True, "Bạn cần", "You are asking about",
         "Mua bán buôn\nĐặt tour du lịch\nKhác", "Wholesale\nA tour\nSomething else"),
        ("multiline", True, "Lời nhắn", "Message", "", ""),
    ],
}  # fmt: skip

# slug -> story. `products`: title words (any) and product groups to choose from;
# `outlets`: outlet codes to prefer for "buy it here".
STORIES = {
    "con-duong-che-tan-cuong": {
        "image": "tan-cuong-tea",
        "days_ago": 3,
        "region": "tan-cuong-2025",
        "products": {"words": ["Tân Cương"], "groups": ["tea"]},
        "outlets": ["tn-tan-cuong", "tn-phuc-xuan", "tram-dung-nghi-hai-dang"],
        "tags": {"vi": ["chè", "Tân Cương", "đồi chè"], "en": ["tea", "Tan Cuong",
                 "tea hills"]},
        "title": {"vi": "Con đường chè Tân Cương",
                  "en": "The Tan Cuong tea trail"},
        "intro": {
            "vi": "Một ngày trên những đồi chè nổi tiếng nhất Thái Nguyên: hái búp "
                  "non lúc sớm, sao chè trên chảo gang và thưởng trà ngay tại vườn.",
            "en": "A day on Thai Nguyen's most famous tea hills: picking young buds at "
                  "dawn, roasting the leaves in an iron pan and tasting the tea where "
                  "it grew.",
        },
        "body": {
            "vi": [
                "<p>Vùng chè đặc sản Tân Cương trải trên hơn 1.400 ha ở các xã Tân "
                "Cương, Phúc Xuân, Phúc Trìu, Thịnh Đức, Quyết Thắng và Phúc Hà. Chè "
                "nơi đây mang chỉ dẫn địa lý <b>Chè Tân Cương</b>: nước xanh, hương cốm, "
                "vị chát dịu rồi ngọt hậu.</p>",
                "<p>Buổi sáng, người hái chè chỉ lấy một tôm hai lá. Đến trưa, chè được "
                "vò và sao trên chảo gang; những mẻ trà đinh, trà móc câu ngon nhất "
                "được sao bằng tay.</p>",
            ],
            "en": [
                "<p>The Tan Cuong speciality area covers more than 1,400 ha in the "
                "communes of Tan Cuong, Phuc Xuan, Phuc Triu, Thinh Duc, Quyet Thang and "
                "Phuc Ha. Its tea carries the <b>Chè Tân Cương</b> geographical "
                "indication: a green liquor, a scent of young rice, a gentle bitterness "
                "and a sweet finish.</p>",
                "<p>In the morning pickers take only the bud and two leaves. By noon the "
                "leaves are rolled and roasted in iron pans; the finest needle (trà "
                "đinh) and hook (móc câu) teas are still roasted by hand.</p>",
            ],
        },
        "quote": {
            "vi": "Chè ngon là nhờ đất, nhờ sương, nhưng trước hết là nhờ bàn tay sao chè.",
            "en": "Good tea comes from the soil and the mist, but first of all from the "
                  "hands that roast it.",
        },
        "quote_by": {"vi": "Một nghệ nhân sao chè ở Tân Cương",
                     "en": "A tea roaster in Tan Cuong"},
        "place": {"lat": "21.559500", "lng": "105.768400",
                  "label": {"vi": "Vùng chè Tân Cương", "en": "Tan Cuong tea area"},
                  "note": {"vi": "Khoảng 10 km về phía tây trung tâm TP Thái Nguyên.",
                           "en": "About 10 km west of Thai Nguyen city centre."}},
        "caption": {"vi": "Những hàng chè trên đồi Tân Cương",
                    "en": "Rows of tea on the Tan Cuong hills"},
        "alt": {"vi": "Tranh minh họa đồi chè xanh với các hàng chè uốn lượn dưới mặt trời",
                "en": "Illustration of green tea hills with curving rows of tea under "
                      "the sun"},
        "products_heading": {"vi": "Chè Tân Cương đạt chuẩn OCOP",
                             "en": "OCOP-certified Tan Cuong tea"},
    },
    "lang-che-la-bang": {
        "image": "la-bang-tea",
        "days_ago": 9,
        "region": "la-bang",
        "products": {"words": ["La Bằng"], "groups": ["tea"]},
        "outlets": ["tn-la-bang", "tn-dai-tu-1", "tn-dai-tu-3"],
        "tags": {"vi": ["chè", "La Bằng", "Đại Từ"], "en": ["tea", "La Bang", "Dai Tu"]},
        "title": {"vi": "La Bằng: làng chè dưới chân núi Tam Đảo",
                  "en": "La Bang: a tea village below the Tam Dao range"},
        "intro": {
            "vi": "Ở xã La Bằng, huyện Đại Từ cũ, chè được trồng trên sườn Tam Đảo và "
                  "làm du lịch cộng đồng: khách ở nhà dân, học sao chè và mua chè tận "
                  "gốc.",
            "en": "In La Bang commune, in the former Dai Tu district, tea grows on the "
                  "slopes of Tam Dao and families welcome visitors: stay in a village "
                  "home, learn to roast tea and buy it from the grower.",
        },
        "body": {
            "vi": [
                "<p>La Bằng là một trong những nhãn hiệu tập thể chè của Thái Nguyên, "
                "bên cạnh Trại Cài, Vô Tranh và Phổ Yên. Khí hậu mát và nguồn nước từ "
                "núi Tam Đảo cho búp chè dày, hương thơm lâu.</p>",
                "<p>Nhiều hộ đã mở homestay: buổi tối khách ngồi bên bếp sao chè, sáng "
                "hôm sau theo người làng lên đồi hái chè.</p>",
            ],
            "en": [
                "<p>La Bang is one of Thai Nguyen's collective tea marks, with Trai Cai, "
                "Vo Tranh and Pho Yen. The cool climate and the water of the Tam Dao "
                "range give thick buds and a lasting scent.</p>",
                "<p>Many families now run homestays: in the evening guests sit by the "
                "roasting pans, and the next morning they follow the villagers up the "
                "hill to pick tea.</p>",
            ],
        },
        "quote": {
            "vi": "Khách đến nhà, mình mời chén chè trước rồi mới nói chuyện.",
            "en": "When guests arrive, we pour them tea before we say anything else.",
        },
        "quote_by": {"vi": "Một chủ homestay ở La Bằng", "en": "A homestay host in La Bang"},
        "place": {"lat": "21.651000", "lng": "105.581000",
                  "label": {"vi": "Xã La Bằng", "en": "La Bang commune"},
                  "note": {"vi": "Khoảng 35 km về phía tây bắc TP Thái Nguyên.",
                           "en": "About 35 km north-west of Thai Nguyen city."}},
        "caption": {"vi": "Đồi chè La Bằng buổi sáng", "en": "La Bang tea hills in the "
                    "morning"},
        "alt": {"vi": "Tranh minh họa đồi chè xanh nhạt dưới bầu trời buổi sáng",
                "en": "Illustration of pale green tea hills under a morning sky"},
        "products_heading": {"vi": "Chè La Bằng", "en": "La Bang tea"},
    },
    "dinh-hoa-atk": {
        "image": "dinh-hoa-atk",
        "days_ago": 15,
        "region": "dinh-hoa",
        "products": {"words": ["Định Hóa"], "groups": []},
        "outlets": ["tn-dinh-hoa-1", "tn-cho-chu", "tn-dinh-hoa-2"],
        "tags": {"vi": ["di tích", "ATK", "Định Hóa"],
                 "en": ["heritage", "ATK", "Dinh Hoa"]},
        "title": {"vi": "Định Hóa: về thăm An toàn khu (ATK)",
                  "en": "Dinh Hoa: a visit to the ATK safe zone"},
        "intro": {
            "vi": "Giữa rừng đồi Định Hóa là An toàn khu thời kháng chiến chống Pháp; "
                  "ngày nay khách về thăm di tích, nghỉ ở bản và mua đặc sản địa phương.",
            "en": "In the forested hills of Dinh Hoa lies the ATK safe zone of the "
                  "resistance war against the French; today visitors come for the "
                  "heritage sites, village stays and local specialities.",
        },
        "body": {
            "vi": [
                "<p>ATK Định Hóa là nơi các cơ quan đầu não của cuộc kháng chiến đặt "
                "bản doanh. Những lán trại dựng lại giữa rừng giúp khách hình dung cuộc "
                "sống giản dị thời ấy.</p>",
                "<p>Sau khi thăm di tích, hãy ghé chợ Chợ Chu và điểm bán OCOP ngay tại "
                "khu di tích: chè, bánh và dược liệu của người Tày, Nùng quanh vùng.</p>",
            ],
            "en": [
                "<p>The Dinh Hoa ATK is where the leadership of the resistance had its "
                "headquarters. Huts rebuilt in the forest show how simply people lived "
                "then.</p>",
                "<p>After the heritage sites, stop at Cho Chu market and at the OCOP "
                "sales point at the site itself: tea, cakes and herbs from the Tay and "
                "Nung villages around.</p>",
            ],
        },
        "quote": {
            "vi": "Về ATK không chỉ để nhớ lịch sử, mà để gặp những người đang giữ "
                  "rừng, giữ chè hôm nay.",
            "en": "You come to the ATK not only to remember history, but to meet the "
                  "people who keep its forests and tea today.",
        },
        "quote_by": {"vi": "Một hướng dẫn viên ở Định Hóa", "en": "A guide in Dinh Hoa"},
        "place": {"lat": "21.906000", "lng": "105.644000",
                  "label": {"vi": "An toàn khu (ATK) Định Hóa",
                            "en": "Dinh Hoa ATK safe zone"},
                  "note": {"vi": "Khoảng 50 km về phía bắc TP Thái Nguyên.",
                           "en": "About 50 km north of Thai Nguyen city."}},
        "caption": {"vi": "Rừng đồi An toàn khu Định Hóa",
                    "en": "The forested hills of the Dinh Hoa safe zone"},
        "alt": {"vi": "Tranh minh họa rừng thông trên đồi và một lán trại mái lá cắm cờ",
                "en": "Illustration of a pine forest on the hills and a thatched hut "
                      "with a flag"},
        "products_heading": {"vi": "Đặc sản Định Hóa", "en": "Dinh Hoa specialities"},
    },
    "ban-pac-ngoi-ba-be": {
        "image": "ba-be-village",
        "days_ago": 21,
        "region": "ba-be",
        "products": {"words": ["nghệ", "Homestay", "Tour"], "groups": []},
        "outlets": ["tn-tp-thai-nguyen-2", "tram-dung-nghi-hai-dang",
                    "hn-xuc-tien-thuong-mai"],
        "tags": {"vi": ["du lịch cộng đồng", "Bắc Kạn", "homestay"],
                 "en": ["community tourism", "Bac Kan", "homestay"]},
        "title": {"vi": "Bản Pác Ngòi: homestay bên hồ Ba Bể",
                  "en": "Pac Ngoi: a homestay village on Ba Be lake"},
        "intro": {
            "vi": "Từ ngày 1/7/2025, Bắc Kạn nhập vào Thái Nguyên, và hồ Ba Bể cùng "
                  "những bản du lịch cộng đồng của người Tày trở thành một phần của tỉnh.",
            "en": "Since 1 July 2025 Bac Kan has been part of Thai Nguyen, and with it "
                  "Ba Be lake and the Tay villages that host visitors in their homes.",
        },
        "body": {
            "vi": [
                "<p>Ở bản Pác Ngòi, những ngôi nhà sàn nhìn ra mặt hồ đón khách nghỉ "
                "đêm. Khách đi thuyền độc mộc, ăn cá hồ, nghe hát then và đàn tính.</p>",
                "<p>Du lịch cộng đồng là một trong sáu nhóm sản phẩm OCOP, và trong tỉnh "
                "đã có những homestay, tour đạt chuẩn. Trước khi về, đừng quên tinh bột "
                "nghệ và các sản phẩm curcumin, đặc sản quen thuộc của vùng Bắc Kạn.</p>",
            ],
            "en": [
                "<p>In Pac Ngoi, stilt houses looking over the lake take guests for the "
                "night. Visitors paddle dugout canoes, eat lake fish and listen to then "
                "singing and the tinh lute.</p>",
                "<p>Community tourism is one of the six OCOP product groups, and the "
                "province already has certified homestays and tours. Before you leave, "
                "take home turmeric starch and curcumin, long a speciality of Bac "
                "Kan.</p>",
            ],
        },
        "quote": {
            "vi": "Khách ở với mình một đêm là thành người nhà.",
            "en": "A guest who stays one night with us becomes family.",
        },
        "quote_by": {"vi": "Một chủ nhà sàn ở Pác Ngòi",
                     "en": "A stilt-house host in Pac Ngoi"},
        "place": {"lat": "22.412000", "lng": "105.620000",
                  "label": {"vi": "Bản Pác Ngòi, hồ Ba Bể",
                            "en": "Pac Ngoi village, Ba Be lake"},
                  "note": {"vi": "Đi thuyền hoặc đường bộ từ trung tâm vườn quốc gia Ba Bể.",
                           "en": "By boat or by road from the Ba Be national park "
                                 "centre."}},
        "caption": {"vi": "Nhà sàn bên hồ Ba Bể", "en": "Stilt houses by Ba Be lake"},
        "alt": {"vi": "Tranh minh họa bốn ngôi nhà sàn gỗ trên đồi bên mặt hồ xanh",
                "en": "Illustration of four wooden stilt houses on a hillside above a "
                      "blue lake"},
        "products_heading": {"vi": "Tour, homestay và đặc sản",
                             "en": "Tours, homestays and specialities"},
    },
    "mien-viet-cuong": {
        "image": "viet-cuong-noodles",
        "days_ago": 27,
        "region": "dong-hy",
        "products": {"words": ["Miến"], "groups": []},
        "outlets": ["tn-tp-thai-nguyen-1", "tram-dung-nghi-hai-dang",
                    "hn-xuc-tien-thuong-mai"],
        "tags": {"vi": ["miến", "làng nghề", "quà tặng"],
                 "en": ["glass noodles", "craft village", "gifts"]},
        "title": {"vi": "Miến Việt Cường: sợi miến dong phơi nắng",
                  "en": "Viet Cuong glass noodles, dried in the sun"},
        "intro": {
            "vi": "Làng nghề miến Việt Cường làm miến từ củ dong riềng: sợi dai, trong, "
                  "không hóa chất, phơi trên những giàn tre dưới nắng đông.",
            "en": "The Viet Cuong craft village makes glass noodles from canna root "
                  "starch: chewy, clear strands with no additives, dried on bamboo racks "
                  "in the winter sun.",
        },
        "body": {
            "vi": [
                "<p>Mùa làm miến bắt đầu khi dong riềng được thu hoạch. Bột dong được "
                "tráng thành bánh, hấp chín, phơi se rồi thái sợi và phơi tiếp cho thật "
                "khô.</p>",
                "<p>Miến dong là món quà Tết quen thuộc: nấu miến gà, miến xào hay canh "
                "miến đều ngon. Nhiều cơ sở đã đạt chuẩn OCOP và có tem truy xuất nguồn "
                "gốc.</p>",
            ],
            "en": [
                "<p>Noodle season starts when the canna is harvested. The starch is "
                "spread into sheets, steamed, half-dried, cut into strands and dried "
                "again until hard.</p>",
                "<p>Glass noodles are a favourite Tết gift, in chicken noodle soup, "
                "stir-fried or in a clear broth. Many makers are OCOP-certified and "
                "their packs carry a traceability stamp.</p>",
            ],
        },
        "quote": {
            "vi": "Miến ngon phải có nắng: thiếu nắng thì sợi không trong.",
            "en": "Good noodles need sunshine: without it the strands never turn clear.",
        },
        "quote_by": {"vi": "Một người làm miến ở Việt Cường",
                     "en": "A noodle maker in Viet Cuong"},
        "place": {"lat": "21.660000", "lng": "105.920000",
                  "label": {"vi": "Làng nghề miến Việt Cường",
                            "en": "Viet Cuong noodle village"},
                  "note": {"vi": "Hỏi đường tới các cơ sở làm miến trong làng.",
                           "en": "Ask for the noodle makers once in the village."}},
        "caption": {"vi": "Miến phơi trên giàn tre", "en": "Noodles drying on bamboo "
                    "racks"},
        "alt": {"vi": "Tranh minh họa ba giàn phơi với những sợi miến trắng dưới nắng",
                "en": "Illustration of three drying racks hung with white glass noodles "
                      "in the sun"},
        "products_heading": {"vi": "Miến dong OCOP", "en": "OCOP glass noodles"},
    },
    "tram-dung-nghi-hai-dang": {
        "image": "hai-dang-rest-stop",
        "days_ago": 33,
        "region": "tp-pho-yen",
        "products": {"words": [], "groups": [], "stocked_at": "tram-dung-nghi-hai-dang"},
        "outlets": ["tram-dung-nghi-hai-dang", "tn-tp-pho-yen-1",
                    "hn-xuc-tien-thuong-mai"],
        "tags": {"vi": ["điểm bán", "cao tốc", "quà tặng"],
                 "en": ["sales point", "expressway", "gifts"]},
        "title": {"vi": "Trạm dừng nghỉ Hải Đăng: đặc sản Thái Nguyên bên cao tốc",
                  "en": "Hai Dang rest stop: Thai Nguyen specialities by the expressway"},
        "intro": {
            "vi": "Trên cao tốc Hà Nội – Thái Nguyên, điểm bán OCOP tại Trạm dừng nghỉ "
                  "Hải Đăng là nơi khách đi đường mua chè, miến và đặc sản của tỉnh.",
            "en": "On the Hanoi–Thai Nguyen expressway, the OCOP shop at Hai Dang rest "
                  "stop is where travellers buy the province's tea, noodles and "
                  "specialities.",
        },
        "body": {
            "vi": [
                "<p>Cùng với hơn 130 điểm giới thiệu và bán sản phẩm OCOP cấp xã và hơn "
                "20 điểm cấp huyện, tỉnh đã phối hợp xây dựng điểm bán tại Trạm dừng "
                "nghỉ Hải Đăng và tại Trung tâm Xúc tiến thương mại của Bộ Nông nghiệp.</p>",
                "<p>Mọi sản phẩm bày bán ở đây đều đạt từ 3 sao OCOP trở lên. Đặt hàng "
                "trực tuyến rồi nhận tại trạm khi đi ngang qua.</p>",
            ],
            "en": [
                "<p>Besides more than 130 commune-level and more than 20 district-level "
                "OCOP sales points, the province set up shops at Hai Dang rest station "
                "and at the Ministry of Agriculture's Trade Promotion Center.</p>",
                "<p>Everything on the shelves is certified 3 stars or more. Order online "
                "and collect it at the rest stop as you drive by.</p>",
            ],
        },
        "quote": {
            "vi": "Khách dừng mười lăm phút, mua gói chè làm quà là đi tiếp được.",
            "en": "Travellers stop for fifteen minutes, pick up a pack of tea as a gift "
                  "and drive on.",
        },
        "quote_by": {"vi": "Nhân viên điểm bán Hải Đăng",
                     "en": "A member of staff at the Hai Dang shop"},
        "place": {"lat": "21.430000", "lng": "105.870000",
                  "label": {"vi": "Trạm dừng nghỉ Hải Đăng", "en": "Hai Dang rest stop"},
                  "note": {"vi": "Cao tốc Hà Nội – Thái Nguyên (CT07), TP Phổ Yên.",
                           "en": "Hanoi–Thai Nguyen expressway (CT07), Pho Yen."}},
        "caption": {"vi": "Điểm dừng chân bên cao tốc",
                    "en": "A place to stop by the expressway"},
        "alt": {"vi": "Tranh minh họa con đường cao tốc giữa đồi xanh và một trạm dừng "
                      "mái đỏ",
                "en": "Illustration of an expressway through green hills and a rest "
                      "stop with a red roof"},
        "products_heading": {"vi": "Có bán tại trạm", "en": "On sale at the rest stop"},
    },
}  # fmt: skip

CREDIT = {"vi": "Minh họa: OCOP Thái Nguyên", "en": "Illustration: OCOP Thai Nguyen"}
OUTLETS_HEADING = {"vi": "Mua tại đây", "en": "Buy it here"}
MEET_PRODUCER = {
    "vi": "Gặp những người làm ra các sản phẩm này.",
    "en": "Meet the people who make these products.",
}

# Events: start relative to today (days), length (days), local start hour.
EVENTS = {
    "festival-tra-thai-nguyen": {
        "image": "tea-festival",
        "starts_in_days": 18,
        "days": 4,
        "hour": 8,
        "region": "tp-thai-nguyen",
        "products": {"words": [], "groups": ["tea"], "min_stars": 4},
        "lat": "21.592800",
        "lng": "105.844200",
        "title": {"vi": "Festival Trà Thái Nguyên", "en": "Thai Nguyen Tea Festival"},
        "venue": {"vi": "Trung tâm TP Thái Nguyên", "en": "Thai Nguyen city centre"},
        "address": {"vi": "Phường Phan Đình Phùng, tỉnh Thái Nguyên",
                    "en": "Phan Dinh Phung ward, Thai Nguyen province"},
        "intro": {
            "vi": "Lễ hội của thủ phủ chè: trình diễn sao chè, thi pha trà, hội chợ chè "
                  "và sản phẩm OCOP, tour tham quan vùng chè Tân Cương.",
            "en": "The festival of Vietnam's tea capital: tea-roasting shows, a "
                  "tea-brewing contest, a fair of tea and OCOP products and tours of the "
                  "Tan Cuong tea area.",
        },
        "body": {
            "vi": "<p>Các hợp tác xã chè của Tân Cương, La Bằng, Trại Cài, Vô Tranh và "
                  "Phổ Yên mang đến những mẻ trà ngon nhất. Khách có thể thử sao chè "
                  "trên chảo gang và mua trà trực tiếp từ người làm chè.</p>",
            "en": "<p>Tea cooperatives from Tan Cuong, La Bang, Trai Cai, Vo Tranh and "
                  "Pho Yen bring their best batches. Try roasting tea in an iron pan and "
                  "buy straight from the people who make it.</p>",
        },
    },
    "tuan-hang-ocop-tai-ha-noi": {
        "image": "trade-week",
        "starts_in_days": 45,
        "days": 3,
        "hour": 9,
        "region": "ha-noi",
        "at_outlet": "hn-xuc-tien-thuong-mai",
        "products": {"words": [], "groups": [], "stocked_at": "hn-xuc-tien-thuong-mai"},
        "title": {"vi": "Tuần hàng OCOP Thái Nguyên tại Hà Nội",
                  "en": "Thai Nguyen OCOP week in Hanoi"},
        "venue": {"vi": "Trung tâm Xúc tiến thương mại nông nghiệp",
                  "en": "Agricultural Trade Promotion Center"},
        "address": {"vi": "Đường Hoàng Quốc Việt, quận Cầu Giấy, Hà Nội",
                    "en": "Hoang Quoc Viet street, Cau Giay, Hanoi"},
        "intro": {
            "vi": "Kết nối cung cầu: các chủ thể OCOP Thái Nguyên giới thiệu sản phẩm "
                  "với nhà phân phối, siêu thị và khách hàng Thủ đô.",
            "en": "Connecting supply and demand: Thai Nguyen's OCOP producers meet "
                  "distributors, supermarkets and shoppers in the capital.",
        },
        "body": {
            "vi": "<p>Phiên kết nối giao thương dành cho doanh nghiệp phân phối diễn ra "
                  "vào buổi sáng ngày đầu; các ngày sau mở cửa cho mọi khách tham quan.</p>",
            "en": "<p>A business-matching session for distributors opens the first "
                  "morning; the following days are open to all visitors.</p>",
        },
    },
    "phien-cho-ocop-cho-thai": {
        "image": "ocop-fair",
        "starts_in_days": -40,
        "days": 5,
        "hour": 8,
        "region": "tp-thai-nguyen",
        "at_outlet": "tn-tp-thai-nguyen-1",
        "products": {"words": [], "groups": ["food-processed", "herbs", "handicrafts"]},
        "title": {"vi": "Phiên chợ OCOP tại chợ Thái",
                  "en": "OCOP market days at Thai market"},
        "venue": {"vi": "Chợ Thái, TP Thái Nguyên", "en": "Thai market, Thai Nguyen city"},
        "address": {"vi": "Phường Phan Đình Phùng, tỉnh Thái Nguyên",
                    "en": "Phan Dinh Phung ward, Thai Nguyen province"},
        "intro": {
            "vi": "Năm ngày giới thiệu và bán sản phẩm OCOP của các xã: miến, bánh, "
                  "dược liệu và đồ thủ công.",
            "en": "Five days of OCOP products from the communes: glass noodles, cakes, "
                  "herbs and handicrafts.",
        },
        "body": {
            "vi": "<p>Phiên chợ đã đón hàng nghìn lượt khách. Cảm ơn các chủ thể OCOP và "
                  "người dân đã tham gia!</p>",
            "en": "<p>The market days welcomed thousands of visitors. Thank you to the "
                  "producers and everyone who came!</p>",
        },
    },
}  # fmt: skip

CAMPAIGNS = {
    "mua-tra-moi": {
        "image": "tea-season",
        "starts_in_days": -14,
        "ends_in_days": 31,
        "products": {"words": [], "groups": ["tea"], "min_stars": 4},
        "outlets": ["tn-tan-cuong", "tn-la-bang", "tram-dung-nghi-hai-dang"],
        "title": {"vi": "Mùa trà mới Thái Nguyên", "en": "Thai Nguyen's new tea season"},
        "intro": {
            "vi": "Trà vụ mới từ các vùng chè Tân Cương, La Bằng, Trại Cài: mua trực "
                  "tuyến hoặc tại điểm bán OCOP gần bạn.",
            "en": "This season's tea from Tan Cuong, La Bang and Trai Cai: buy online "
                  "or at an OCOP sales point near you.",
        },
        "body": {
            "vi": "<p>Chè là sản phẩm chủ lực của tỉnh, với khoảng 22.000 ha chè. Mùa "
                  "này, hãy thử những loại trà 4 và 5 sao OCOP.</p>",
            "en": "<p>Tea is the province's signature product, grown on some 22,000 ha. "
                  "This season, try the 4- and 5-star OCOP teas.</p>",
        },
    },
    "qua-tet-ocop": {
        "image": "tet-gifts",
        "tet": True,  # from 45 days before the next Tết to the day before
        "products": {"words": ["Miến", "Mật ong", "Bánh chưng", "Trà"], "groups": []},
        "outlets": ["tn-tp-thai-nguyen-1", "tram-dung-nghi-hai-dang",
                    "hn-xuc-tien-thuong-mai"],
        "title": {"vi": "Quà Tết OCOP Thái Nguyên", "en": "OCOP Tết gifts from Thai Nguyen"},
        "intro": {
            "vi": "Hộp quà Tết từ đặc sản đạt chuẩn OCOP: trà, miến dong, mật ong rừng "
                  "và nhiều hơn nữa.",
            "en": "Tết gift boxes of OCOP-certified specialities: tea, glass noodles, "
                  "wild honey and more.",
        },
        "body": {
            "vi": "<p>Gắn sản phẩm OCOP với quà tặng và đặc sản địa phương: mỗi món quà "
                  "đều có tem truy xuất nguồn gốc.</p>",
            "en": "<p>OCOP products as gifts and local specialities: every gift carries "
                  "a traceability stamp.</p>",
        },
    },
}  # fmt: skip

NEWS = {
    "muc-tieu-20-san-pham-ocop-2024": {
        "image": "ocop-news",
        "date": dt.date(2024, 6, 25),
        "title": {"vi": "Thái Nguyên phấn đấu có ít nhất 20 sản phẩm OCOP 3 sao trở lên",
                  "en": "Thai Nguyen aims for at least 20 new OCOP products of 3 stars or "
                        "more"},
        "intro": {
            "vi": "Năm 2024, tỉnh đặt mục tiêu có thêm ít nhất 20 sản phẩm OCOP đạt từ "
                  "3 sao trở lên và đánh giá, công nhận lại các sản phẩm đã xếp hạng.",
            "en": "In 2024 the province aims for at least 20 new OCOP products of 3 "
                  "stars or more, and to re-assess and re-recognise ranked products.",
        },
        "body": {
            "vi": [
                "<p>Tính đến tháng 3/2024, Thái Nguyên có 240 sản phẩm OCOP, gồm 149 "
                "sản phẩm 3 sao, 89 sản phẩm 4 sao và 2 sản phẩm 5 sao.</p>",
                "<p>Tỉnh đẩy mạnh chuyển đổi số: số hóa việc tiếp nhận hồ sơ, chấm điểm, "
                "đánh giá, phân hạng sản phẩm, truy xuất nguồn gốc theo chuỗi giá trị, "
                "hướng tới cơ sở dữ liệu quốc gia về OCOP; phát triển thương mại điện tử "
                "và xây dựng website sản phẩm cho các chủ thể.</p>",
            ],
            "en": [
                "<p>As of March 2024 Thai Nguyen had 240 OCOP products: 149 with 3 stars, "
                "89 with 4 stars and 2 with 5 stars.</p>",
                "<p>The province is digitising the programme: applications, scoring, "
                "evaluation and classification, traceability along the value chain "
                "toward a national OCOP database, e-commerce, and product websites for "
                "each participating producer.</p>",
            ],
        },
        "table": {
            "vi": (["Hạng", "Số sản phẩm"], [["3 sao", "149"], ["4 sao", "89"],
                                              ["5 sao", "2"], ["Tổng", "240"]],
                   "Sản phẩm OCOP Thái Nguyên, tháng 3/2024"),
            "en": (["Rating", "Products"], [["3 stars", "149"], ["4 stars", "89"],
                                             ["5 stars", "2"], ["Total", "240"]],
                   "Thai Nguyen OCOP products, March 2024"),
        },
        "credit": {"vi": "Theo Báo Nông nghiệp Việt Nam (VAN), 25/6/2024",
                   "en": "Source: Vietnam Agriculture (VAN), 25 June 2024"},
    },
    "mua-ocop-truc-tuyen": {
        "image": "hai-dang-rest-stop",
        "days_ago": 6,
        "outlets": ["tram-dung-nghi-hai-dang", "tn-tan-cuong", "hn-xuc-tien-thuong-mai"],
        "title": {"vi": "Mua sản phẩm OCOP trực tuyến, nhận tại điểm bán",
                  "en": "Buy OCOP products online, collect them at a sales point"},
        "intro": {
            "vi": "Sàn OCOP Thái Nguyên cho phép đặt mua sản phẩm đạt chuẩn OCOP và "
                  "nhận hàng tại điểm bán gần nhất hoặc giao tận nhà.",
            "en": "The Thai Nguyen OCOP market lets you order certified products and "
                  "collect them at the nearest sales point or have them delivered.",
        },
        "body": {
            "vi": [
                "<p>Mỗi sản phẩm hiển thị số sao OCOP, chứng nhận còn hiệu lực và mã "
                "truy xuất nguồn gốc. Sản phẩm có chứng nhận hết hạn sẽ không được bán "
                "cho đến khi được đánh giá lại.</p>",
            ],
            "en": [
                "<p>Every product shows its OCOP stars, the certificate in force and a "
                "traceability code. A product whose certificate has lapsed is not sold "
                "until it is re-assessed.</p>",
            ],
        },
    },
}  # fmt: skip

PRODUCER_PAGE = {
    "intro": {
        "vi": "{name} có {count} sản phẩm đạt chuẩn OCOP, sản xuất tại {place}.",
        "en": "{name} has {count} OCOP-certified products, made in {place}.",
    },
    "body": {
        "vi": "<p>{description} Sản phẩm được bán trực tuyến và tại các điểm giới "
        "thiệu và bán sản phẩm OCOP trong tỉnh.</p>",
        "en": "<p>{description} Its products are sold online and at OCOP sales points "
        "across the province.</p>",
    },
    "caption": {"vi": "Vùng sản xuất của {name}", "en": "Where {name} works"},
    "alt": {
        "vi": "Tranh minh họa đồi chè và cánh đồng nơi chủ thể sản xuất",
        "en": "Illustration of the tea hills and fields where the producer works",
    },
}
