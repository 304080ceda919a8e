"""Hostile text and the check that a page shows it as text only.

The check parses the page (html.parser, through BeautifulSoup) and looks at what a
browser would build, not at the bytes: a payload shown escaped is fine; a payload that
became an element, an event handler, a script address or a second script is not."""

import json
import re

from bs4 import BeautifulSoup

MARK = "xss1337"

SCRIPT = f"<script>alert('{MARK}')</script>"
IMG = f'"><img src=x onerror=alert("{MARK}")>'
SVG = f"'><svg onload=alert('{MARK}')>"
ATTRIBUTE = f'" autofocus onfocus="alert(\'{MARK}\')" x="'
BREAKOUT = f"</script><script>alert('{MARK}')</script>"
LINK = f"javascript:alert('{MARK}')"

# Every payload at once, for text fields (under 200 characters: names fit).
HOSTILE = f"{SCRIPT}{IMG}{SVG}{ATTRIBUTE}{BREAKOUT}"
# For outlet names, under 128 characters (the name is copied to Oscar's Partner.name).
SHORT = f"{IMG}{ATTRIBUTE}{BREAKOUT}"

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
JSON_TYPES = {"application/json", "application/ld+json"}


def live_payloads(html: str) -> list[str]:
    """What in `html` would run one of the payloads: an empty list when it is inert."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        snippet = str(tag)[:160]
        if tag.name == "script":
            text = tag.string or ""
            if tag.get("type", "").lower() in JSON_TYPES:
                try:
                    json.loads(text)
                except ValueError:
                    found.append(f"data script cut short: {snippet}")
            elif MARK in text:
                found.append(f"script: {snippet}")
        if tag.name == "img" and tag.get("src") == "x":
            found.append(f"injected image: {snippet}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") and MARK in value:
                found.append(f"handler {name}: {snippet}")
            if MARK in name:
                found.append(f"attribute name: {snippet}")
            if name.lower() in URL_ATTRIBUTES:
                address = re.sub(r"[\x00-\x20]+", "", value).lower()
                if address.startswith(UNSAFE_SCHEMES):
                    found.append(f"script address: {snippet}")
    return found


def shown(html: str) -> bool:
    """Whether the payload reached the page at all, as text or attribute value (so
    an inert verdict is not the verdict on a page that never showed it)."""
    soup = BeautifulSoup(html, "html.parser")
    if MARK in soup.get_text():
        return True
    return any(
        MARK in (" ".join(v) if isinstance(v, list) else str(v))
        for tag in soup.find_all(True)
        for v in tag.attrs.values()
    )


def assert_inert(html: str, *, must_show: bool = True) -> None:
    problems = live_payloads(html)
    assert not problems, "\n".join(problems)
    if must_show:
        assert shown(html), "the payload is not on the page: the check proves nothing"
