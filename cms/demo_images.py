"""Illustrations for the demo pages, drawn with Pillow (no downloads): a sky, a sun,
rolling hills striped with tea rows, a motif per scene and a label. Stored as Wagtail
images and found again by title, so a re-run reuses them instead of adding copies."""

import io
import math
import random
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model

WIDTH, HEIGHT = 1200, 675
TITLE_PREFIX = "OCOP demo: "


@dataclass(frozen=True)
class Scene:
    key: str  # file name and part of the title
    label: str  # drawn on the picture (ASCII: the default font has no Vietnamese)
    sky: tuple[str, str]  # top and horizon colours
    hills: tuple[str, ...]  # far to near
    motif: str  # tea, village, lake, road, noodles, forest, festival, market, gift


SCENES = {
    scene.key: scene
    for scene in [
        Scene("tan-cuong-tea", "Tan Cuong tea hills", ("#8ec5e8", "#fbe6b0"),
              ("#7fae6a", "#4f8f46", "#2f6b34"), "tea"),
        Scene("la-bang-tea", "La Bang tea village", ("#a3c9e2", "#f6e7c1"),
              ("#86b27a", "#578f4c", "#34683a"), "tea"),
        Scene("dinh-hoa-atk", "Dinh Hoa ATK safe zone", ("#9cc3d9", "#eadfb8"),
              ("#6f9a63", "#45794a", "#2b5532"), "forest"),
        Scene("ba-be-village", "Ba Be community village", ("#9fd0ea", "#f3e9c8"),
              ("#7aa37c", "#4c7e58", "#2f5e44"), "village"),
        Scene("viet-cuong-noodles", "Viet Cuong glass noodles", ("#f3c98b", "#fdf1d6"),
              ("#b9a36a", "#93804c", "#6e5d35"), "noodles"),
        Scene("hai-dang-rest-stop", "Hai Dang rest stop", ("#8fb8de", "#f7e3b5"),
              ("#8aab72", "#618a52", "#3f6a3c"), "road"),
        Scene("tea-festival", "Thai Nguyen Tea Festival", ("#f2a65a", "#fde2b8"),
              ("#6f9f5f", "#4a7f45", "#2e5f33"), "festival"),
        Scene("ocop-fair", "OCOP fair", ("#a8d0e6", "#fbefd0"),
              ("#9bb57d", "#6f9257", "#4b6e3c"), "market"),
        Scene("trade-week", "OCOP week in Hanoi", ("#b7c7e6", "#f4ead4"),
              ("#8ea58a", "#66836a", "#44604b"), "market"),
        Scene("tet-gifts", "OCOP Tet gifts", ("#d9534f", "#f9d67a"),
              ("#b8403a", "#962f2b", "#6e201d"), "gift"),
        Scene("tea-season", "New tea season", ("#9fd3c7", "#f8f1c7"),
              ("#8cc084", "#5e9e58", "#3a7a3c"), "tea"),
        Scene("ocop-news", "OCOP Thai Nguyen", ("#a5c8e4", "#f5ecd2"),
              ("#8fb07a", "#64904f", "#406d36"), "market"),
        Scene("producer", "OCOP producer", ("#b3d6e8", "#f7eccf"),
              ("#89b37a", "#5b9151", "#386b37"), "tea"),
    ]
}  # fmt: skip


def images_ensure(*, seed: int) -> dict:
    """The Wagtail image of every scene, by key: existing ones (by title) are reused."""
    Image_ = get_image_model()
    titles = {TITLE_PREFIX + scene.label: scene for scene in SCENES.values()}
    existing = {
        image.title: image for image in Image_.objects.filter(title__in=list(titles))
    }
    images = {}
    for title, scene in titles.items():
        image = existing.get(title)
        if image is None:
            data = draw_scene(scene, random.Random(f"{seed}:image:{scene.key}"))
            image = Image_(title=title)
            image.file = ImageFile(io.BytesIO(data), name=f"ocop-demo-{scene.key}.jpg")
            image.save()
        images[scene.key] = image
    return images


def draw_scene(scene: Scene, rng: random.Random) -> bytes:
    """A 1200x675 JPEG (some tens of kilobytes: flat colours compress well)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), scene.sky[0])
    draw = ImageDraw.Draw(image)
    _sky(draw, *scene.sky)
    sun_x = rng.randint(180, WIDTH - 180)
    sun_y = rng.randint(90, 170)
    draw.ellipse((sun_x - 62, sun_y - 62, sun_x + 62, sun_y + 62), fill="#fff3b0")
    draw.ellipse((sun_x - 48, sun_y - 48, sun_x + 48, sun_y + 48), fill="#ffd166")
    for n, colour in enumerate(scene.hills):
        base = 330 + n * 95
        amplitude = rng.randint(30, 70)
        phase = rng.random() * math.tau
        length = rng.randint(700, 1100)
        outline = _ridge(base, amplitude, phase, length)
        draw.polygon([*outline, (WIDTH, HEIGHT), (0, HEIGHT)], fill=colour)
        if scene.motif in ("tea", "festival") and n > 0:
            _tea_rows(draw, outline, colour)
    MOTIFS.get(scene.motif, lambda draw, rng: None)(draw, rng)
    _label(draw, scene.label)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def _sky(draw, top: str, horizon: str) -> None:
    a, b = _rgb(top), _rgb(horizon)
    for y in range(0, 460, 4):
        t = y / 460
        colour = tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))
        draw.rectangle((0, y, WIDTH, y + 4), fill=colour)


def _ridge(base: int, amplitude: int, phase: float, length: int) -> list:
    return [
        (x, base + amplitude * math.sin(phase + x * math.tau / length))
        for x in range(0, WIDTH + 25, 25)
    ]


def _tea_rows(draw, outline, colour: str) -> None:
    """Rows of tea bushes following the hill: darker stripes below its ridge."""
    shade = tuple(max(0, c - 28) for c in _rgb(colour))
    for offset in range(22, 260, 26):
        draw.line([(x, y + offset) for x, y in outline], fill=shade, width=7)


def _village(draw, rng) -> None:
    for n in range(4):
        x, y = 160 + n * 230 + rng.randint(-30, 30), 470 + rng.randint(-20, 20)
        draw.rectangle((x, y, x + 120, y + 60), fill="#8b5a2b")  # a house on stilts
        draw.polygon([(x - 20, y), (x + 60, y - 55), (x + 140, y)], fill="#5c3b1e")
        for post in (x + 10, x + 55, x + 100):
            draw.rectangle((post, y + 60, post + 8, y + 100), fill="#4a2f17")
    draw.rectangle((0, 600, WIDTH, HEIGHT), fill="#4f8fbf")  # the lake


def _road(draw, rng) -> None:
    draw.polygon(
        [(520, 420), (680, 420), (1100, HEIGHT), (100, HEIGHT)], fill="#555b61"
    )
    for y in range(440, HEIGHT, 50):
        draw.rectangle((596, y, 604, y + 25), fill="#f4f1de")
    draw.rectangle((820, 380, 1080, 470), fill="#f4f1de")  # the rest stop
    draw.polygon([(800, 380), (950, 320), (1100, 380)], fill="#c0392b")
    draw.rectangle((900, 410, 960, 470), fill="#3d5a80")


def _noodles(draw, rng) -> None:
    draw.rectangle((0, 450, WIDTH, HEIGHT), fill="#d8c9a3")
    for rack in range(3):
        x = 120 + rack * 360
        draw.line([(x, 430), (x + 300, 430)], fill="#6b4f2a", width=8)
        for strand in range(x + 10, x + 300, 9):  # glass noodles drying on a rack
            draw.line(
                [(strand, 430), (strand + rng.randint(-4, 4), 600)],
                fill="#f6efe0",
                width=3,
            )


def _forest(draw, rng) -> None:
    for _ in range(16):
        x, y = rng.randint(0, WIDTH), rng.randint(430, 560)
        draw.polygon([(x, y - 110), (x - 45, y), (x + 45, y)], fill="#1f4d2b")
    draw.rectangle((520, 500, 680, 580), fill="#d9c9a0")  # a thatched hut
    draw.polygon([(500, 500), (600, 440), (700, 500)], fill="#8a6d3b")
    draw.rectangle((585, 420, 590, 445), fill="#7a4a1e")
    draw.polygon([(590, 420), (630, 428), (590, 436)], fill="#da291c")  # a flag


def _festival(draw, rng) -> None:
    draw.line([(0, 210), (WIDTH, 250)], fill="#5c3b1e", width=3)
    for x in range(60, WIDTH, 110):  # lanterns on a string
        y = 210 + x * 40 // WIDTH
        draw.line([(x, y), (x, y + 24)], fill="#5c3b1e", width=2)
        draw.ellipse((x - 24, y + 24, x + 24, y + 84), fill="#e63946")
        draw.rectangle((x - 10, y + 84, x + 10, y + 92), fill="#ffd166")


def _market(draw, rng) -> None:
    for n in range(5):  # fair stalls with striped awnings
        x = 40 + n * 230
        draw.rectangle((x, 470, x + 200, 600), fill="#f4f1de")
        for stripe in range(5):
            colour = "#2a9d8f" if (stripe + n) % 2 else "#e9c46a"
            draw.rectangle(
                (x + stripe * 40, 430, x + stripe * 40 + 40, 475), fill=colour
            )
        for item in range(4):
            cx = x + 30 + item * 45
            draw.ellipse((cx - 14, 540, cx + 14, 568), fill="#6a994e")


def _gift(draw, rng) -> None:
    for n in range(3):
        x, size = 250 + n * 280, 150 + n * 20
        y = 600 - size
        draw.rectangle((x, y, x + size, 600), fill="#ffd166")
        draw.rectangle((x + size // 2 - 12, y, x + size // 2 + 12, 600), fill="#c1121f")
        draw.rectangle(
            (x, y + size // 2 - 12, x + size, y + size // 2 + 12), fill="#c1121f"
        )
    for x in range(80, WIDTH, 160):  # peach blossom
        draw.ellipse((x - 14, 140, x + 14, 168), fill="#ffafcc")


MOTIFS = {
    "village": _village,
    "road": _road,
    "noodles": _noodles,
    "forest": _forest,
    "festival": _festival,
    "market": _market,
    "gift": _gift,
}


def _label(draw, text: str) -> None:
    font = ImageFont.load_default(size=40)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    width, height = right - left, bottom - top
    draw.rounded_rectangle(
        (40, HEIGHT - 60 - height - 36, 40 + width + 48, HEIGHT - 60),
        radius=14,
        fill="#ffffff",
    )
    draw.text((64, HEIGHT - 60 - height - 18 - top), text, fill="#1f3a24", font=font)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
