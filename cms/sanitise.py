"""Rich text as it reaches a page: only harmless elements and attributes survive.

Wagtail's editor stores clean HTML, but rich text also arrives by other roads (pasted
into an old editor, imported, written by a migration or the API), and Wagtail renders
stored HTML as it is. Every rich text rendering goes through `richtext_clean` (our
`wagtailcore/shared/richtext.html` overrides Wagtail's): scripts, styles and foreign
frames are dropped with their content (video frames stay only from YouTube and Vimeo),
unknown tags are unwrapped, event handlers and style attributes are dropped, and links
keep only http(s), mailto and tel addresses."""

from bs4 import Tag
from wagtail.whitelist import (
    DEFAULT_ELEMENT_RULES,
    Whitelister,
    allow_without_attributes,
    attribute_rule,
    check_url,
)

# Elements whose content is code or a foreign document, never text to keep.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "frame", "frameset", "object", "embed", "applet",
        "template", "noscript", "textarea", "select", "svg", "math", "form", "link",
        "meta", "base", "title", "head",
    }
)  # fmt: skip

# Video embeds (Wagtail's media embed writes an iframe) from these players only.
EMBED_HOSTS = (
    "https://www.youtube.com/embed/",
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
)

_IMG_CLASSES = {"richtext-image", "left", "right", "full-width"}


def _image_class(value):
    """Keep the alignment classes Wagtail's image embed writes, nothing else."""
    classes = value if isinstance(value, list) else str(value).split()
    kept = [c for c in classes if c in _IMG_CLASSES]
    return " ".join(kept) or None


def _http_only(value):
    url = check_url(str(value))
    if url is None or not str(url).strip().lower().startswith(("http", "/")):
        return None  # an image loads from our media or the web, not data: or the like
    return url


def _player_src(value):
    url = check_url(str(value))
    return url if url and str(url).startswith(EMBED_HOSTS) else None


ELEMENT_RULES = {
    **DEFAULT_ELEMENT_RULES,
    "a": attribute_rule({"href": check_url}),
    "img": attribute_rule(
        {
            "src": _http_only,
            "alt": True,
            "width": True,
            "height": True,
            "class": _image_class,
        }
    ),
    "iframe": attribute_rule(
        {
            "src": _player_src,
            "width": True,
            "height": True,
            "title": True,
            "allowfullscreen": True,
            "frameborder": True,
        }
    ),
    "blockquote": allow_without_attributes,
    "code": allow_without_attributes,
    "span": allow_without_attributes,
    "u": allow_without_attributes,
    "s": allow_without_attributes,
}


class RichTextWhitelister(Whitelister):
    element_rules = ELEMENT_RULES

    def clean_tag_node(self, doc, tag: Tag):
        if tag.name in DROPPED_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)
        if tag.name == "iframe" and not tag.get("src"):
            tag.decompose()  # a frame from anywhere else is dropped whole
            return
        if tag.name == "a" and tag.get("href"):
            # A link opened from our page must not be able to script it back.
            tag["rel"] = "noopener"


_whitelister = RichTextWhitelister()


def richtext_clean(html: str) -> str:
    """The front-end HTML of rich text with only harmless markup left."""
    if not html:
        return ""
    return _whitelister.clean(str(html))
