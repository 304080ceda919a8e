"""Demo content for the Wagtail site."""

from cms.services import home_pages_ensure

TITLES = {"vi": "Sản phẩm OCOP Thái Nguyên", "en": "Thai Nguyen OCOP products"}
HERO = {
    "vi": "Đặc sản Thái Nguyên đạt chuẩn OCOP, từ đồi chè Tân Cương đến tay bạn",
    "en": "Thai Nguyen's OCOP-certified specialities, from the Tan Cuong tea hills to you",
}
INTRO = {
    "vi": "<p>Mua trực tuyến hoặc nhận hàng tại hơn 150 điểm giới thiệu và bán sản phẩm OCOP.</p>",
    "en": "<p>Buy online or collect at more than 150 OCOP introduction and sales points.</p>",
}


def seed(*, seed: int) -> None:
    home_pages_ensure(titles=TITLES, hero=HERO, intro=INTRO)
