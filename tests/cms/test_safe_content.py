"""Safe content: whatever HTML reaches the database (typed, pasted, imported, stored
raw), no script, event handler or javascript: link reaches a page; table cells,
captions, quotes and form submissions are text; images carry alternative text;
documents are served so that they cannot run script on our site."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import CaptionedImageBlock, StoryStreamBlock
from cms.models import StoryIndexPage
from cms.sanitise import richtext_clean
from tests.cms import pages

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<p onclick="alert(1)" style="position:fixed">Chè <b>ngon</b></p>'
    "<script>alert('xss-script')</script>"
    '<img src="x" onerror="alert(\'xss-img\')">'
    "<a href=\"javascript:alert('xss-link')\">bấm</a>"
    '<a href="jav&#x09;ascript:alert(1)">tab</a>'
    '<a href=" JAVASCRIPT:alert(1)">upper</a>'
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>'
    '<svg onload="alert(1)"><circle r="1"></circle></svg>'
    '<iframe src="https://evil.example/"></iframe>'
    "<style>body{display:none}</style>"
    '<a href="https://chetancuong.example/" onmouseover="alert(1)">an toàn</a>'
)

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def assert_inert(html: str) -> None:
    """No markup in `html` can run script: text that looks like a tag is fine (it is
    shown, escaped); script elements are only ours (files from /static/), and no
    element has an event handler, a script address, an inline style or a foreign
    frame."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {"svg", "object", "embed", "base"}, str(tag)[:80]
        if tag.name == "script":
            assert tag.get("src", "").startswith("/static/") or "xss" not in tag.text
            assert "alert" not in tag.text, str(tag)[:80]
        if tag.name == "iframe":
            assert tag.get("src", "").startswith("https://www.youtube"), str(tag)[:80]
        if tag.name == "style":
            assert "display:none" not in tag.text
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), str(tag)[:80]
            if attr == "style":
                assert "position" not in str(value), str(tag)[:80]
            if attr in {"href", "src", "action", "formaction", "xlink:href"}:
                address = re.sub(r"[\x00-\x20]+", "", str(value)).lower()
                assert not address.startswith(UNSAFE_SCHEMES), str(tag)[:80]


def _content(html: str) -> str:
    return html.split('id="content_inner"')[1].split('class="site-footer"')[0]


@pytest.fixture
def story_index(home_pages):
    return pages.index(StoryIndexPage, "stories", "Câu chuyện")


@pytest.mark.parametrize(
    "fragment",
    [
        "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">',
        '<a href="jav&#x09;ascript:alert(1)">x</a>', '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example/"></iframe>', '<p style="position:fixed">',
    ],
)  # fmt: skip
def test_the_inertness_check_catches_each_payload_left_as_it_is(fragment):
    with pytest.raises(AssertionError):
        assert_inert(fragment)


def test_the_cleaner_keeps_text_and_safe_links_and_drops_the_rest():
    cleaned = richtext_clean(PAYLOAD)

    assert_inert(cleaned)
    assert "Chè <b>ngon</b>" in cleaned
    assert (
        '<a href="https://chetancuong.example/" rel="noopener">an toàn</a>' in cleaned
    )
    assert "bấm" in cleaned  # the link's text stays, its address goes
    assert "alert" not in cleaned  # the script went with its content


def test_raw_html_stored_in_a_rich_text_block_is_inert_on_the_page(client, story_index):
    story = pages.story(story_index, ("text", PAYLOAD))

    html = client.get(story.url).content.decode()

    assert_inert(html)
    assert "Chè <b>ngon</b>" in _content(html)
    assert 'href="https://chetancuong.example/"' in html


def test_raw_html_stored_in_a_rich_text_field_is_inert_on_the_page(client, home_pages):
    index = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    index.intro = PAYLOAD
    index.save_revision().publish()
    home = pages.home("vi")
    home.intro = PAYLOAD
    home.save_revision().publish()

    for page in (index, home):
        html = client.get(page.url).content.decode()

        assert_inert(html)
        assert "Chè <b>ngon</b>" in html


def test_pasted_content_through_the_editor_converter_is_inert(client, story_index):
    """Draftail sends content state; the server turns it into database HTML with the
    block's features. A pasted javascript: link and tag-like text must stay inert."""
    features = StoryStreamBlock.base_blocks["text"].features
    converter = ContentstateConverter(features=features)
    pasted = {
        "blocks": [
            {
                "key": "a1b2c", "type": "unstyled", "depth": 0,
                "text": "<script>alert('xss-script')</script> bấm vào đây",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 37, "length": 3, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE",
                  "data": {"url": "javascript:alert('xss-link')"}}
        },
    }  # fmt: skip
    stored = converter.to_database_format(json.dumps(pasted))
    # Round-trip what an old editor pasted as HTML, too.
    from_html = converter.to_database_format(converter.from_database_format(PAYLOAD))
    story = pages.story(story_index, ("text", stored), ("text", from_html))

    html = client.get(story.url).content.decode()

    assert_inert(html)
    assert "&lt;script&gt;" in html  # shown as the text it was, not run
    assert "<a>bấm</a> vào đây" in html  # the link's text, without its address


def test_table_cells_and_caption_are_escaped(client, story_index):
    table = {
        "data": [
            ["<script>alert('xss-script')</script>", '<img src=x onerror="alert(1)">'],
            ["Tân Cương", '<a href="javascript:alert(1)">giá</a>'],
        ],
        "first_row_is_table_header": True,
        "first_col_is_header": True,
        "table_header_choice": "both",
        "table_caption": '<b onmouseover="alert(1)">Giá chè</b>',
    }
    story = pages.story(story_index, ("table", table))

    html = client.get(story.url).content.decode()
    content = _content(html)

    assert_inert(html)
    assert '<th scope="col">&lt;script&gt;alert(&#x27;xss-script&#x27;)' in content
    assert "<caption>&lt;b onmouseover=&quot;alert(1)&quot;&gt;Giá chè" in content
    assert '<th scope="row">Tân Cương</th>' in content
    assert (
        "<td>&lt;a href=&quot;javascript:alert(1)&quot;&gt;giá&lt;/a&gt;</td>"
        in content
    )


def test_table_cells_show_as_text(client, story_index):
    table = {
        "data": [["Loại", "Giá"], ["<b>Chè búp</b>", "350.000 ₫"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_header_choice": "row",
        "table_caption": "Giá <chè>",
    }
    story = pages.story(story_index, ("table", table))

    content = _content(client.get(story.url).content.decode())

    assert '<th scope="col">Loại</th>' in content
    assert "<td>&lt;b&gt;Chè búp&lt;/b&gt;</td>" in content
    assert "<caption>Giá &lt;chè&gt;</caption>" in content


def test_captions_credits_quotes_and_headings_are_text(client, story_index):
    image = Image.objects.create(title="Đồi chè", file=get_test_image_file())
    evil = '<script>alert("xss-script")</script><img src=x onerror=alert(1)>'
    story = pages.story(
        story_index,
        ("heading", evil),
        ("image", {"image": image.pk, "alt_text": 'Đồi chè" onerror="alert(1)',
                   "caption": evil, "credit": evil}),
        ("quote", {"text": evil, "attribution": evil}),
    )  # fmt: skip

    html = client.get(story.url).content.decode()

    assert_inert(html)
    assert 'alt="Đồi chè&quot; onerror=&quot;alert(1)"' in html
    assert html.count("&lt;script&gt;") >= 5


def test_form_submissions_are_inert_on_the_page_in_the_email_and_in_the_admin(
    client, home_pages, django_capture_on_commit_callbacks
):
    form = pages.form_page(pages.home("vi"))
    evil = "<script>alert('xss-script')</script><img src=x onerror=alert(1)>"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form.url, {"name": evil, "email": "an@example.com", "message": evil}
        )

    assert response.status_code == 200
    assert_inert(response.content.decode())
    [email] = mail.outbox
    assert email.content_subtype == "plain" and not getattr(email, "alternatives", [])
    assert f"Message: {evil}" in email.body  # plain text: shown, never run
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@ocop.example", "secret-pass-123"
    )
    client.force_login(admin)
    listing = client.get(f"/cms-admin/forms/submissions/{form.pk}/")
    assert listing.status_code == 200
    assert "<script>alert('xss-script')" not in listing.content.decode()
    assert "&lt;script&gt;" in listing.content.decode()


def test_form_field_help_text_is_escaped(client, home_pages):
    form = pages.form_page(pages.home("vi"))
    field = form.form_fields.first()
    field.help_text = "<script>alert('xss-script')</script>"
    field.save()

    response = client.get(form.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "&lt;script&gt;alert(" in html  # shown, as text
    assert_inert(html)


# --- Images ---------------------------------------------------------------------------


def test_an_image_block_needs_its_alternative_text():
    image = Image.objects.create(title="Đồi chè", file=get_test_image_file())
    block = CaptionedImageBlock()

    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))


def test_page_images_render_with_alternative_text(client, story_index):
    image = Image.objects.create(
        title="IMG_2041.jpg", description="Người hái chè trên đồi Tân Cương",
        file=get_test_image_file(),
    )  # fmt: skip
    story = pages.story(story_index, image=image)

    story_html = client.get(story.url).content.decode()
    index_html = client.get(story_index.url).content.decode()

    for html in (story_html, index_html):
        assert 'alt="Người hái chè trên đồi Tân Cương"' in html


# --- Documents ------------------------------------------------------------------------


def _document(name: str, content: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


@pytest.mark.parametrize(
    "name",
    ["evil.html", "evil.svg", "evil.htm", "evil.xml", "evil.js", "evil.bin"],
)
def test_a_document_that_could_run_script_is_downloaded_never_shown(client, name):
    document = _document(name, b"<svg onload=alert(1)><script>alert(1)</script></svg>")

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_pdf_opens_in_the_browser_but_may_not_run_anything(client):
    document = _document("bang-gia.pdf", b"%PDF-1.4\n%%EOF\n")

    response = client.get(document.url)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.js", "evil.exe"])
def test_documents_of_types_that_run_script_are_refused_at_upload(name):
    """Needs WAGTAILDOCS_EXTENSIONS in settings (see the report)."""
    document = Document(title=name, file=ContentFile(b"<script></script>", name=name))

    with pytest.raises(ValidationError):
        document.full_clean()


@pytest.mark.parametrize("name", ["bang-gia.pdf", "don-hang.docx", "gia.xlsx"])
def test_ordinary_documents_are_accepted(name):
    Document(title=name, file=ContentFile(b"data", name=name)).full_clean()


def test_a_product_description_with_html_is_sanitised_on_the_product_page(client):
    from tests.factories import create_product

    product = create_product(
        description="<p>Chè <b>ngon</b><script>alert(1)</script>"
        '<a href="javascript:alert(2)">x</a><img src=x onerror="alert(3)"></p>'
    )

    html = client.get(product.get_absolute_url()).content.decode()

    assert "<b>ngon</b>" in html
    # the payloads' text may remain as text (the meta description); no markup runs
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", True),
        ("https://vimeo.com/76979871", True),
        ("https://soundcloud.com/ocop/tea-song", False),
        ("https://twitter.com/ocop/status/1", False),
        ("http://www.hulu.com/watch/1", False),
    ],
)
def test_story_videos_come_from_youtube_or_vimeo_only(url, accepted):
    from wagtail.embeds.finders import get_finders

    assert any(finder.accept(url) for finder in get_finders()) is accepted
