"""An event as an iCalendar file (RFC 5545): what a phone's calendar imports."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

LINE_OCTETS = 75


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """TEXT escaping: backslash, semicolon, comma and line breaks."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space; a UTF-8
    character (Vietnamese has many two- and three-byte ones) is never split."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # the leading space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def event_calendar(event, *, url: str, host: str) -> str:
    """One VEVENT for an EventPage; its UID is shared by the event's translations, so
    importing the English and the Vietnamese file gives one event, not two."""
    location = ", ".join(part for part in (event.venue, event.address) if part)
    language = (get_language() or "vi").split("-")[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//OCOP Market//Events//{language.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.translation_key}@{host.split(':')[0] or 'ocop'}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SUMMARY;LANGUAGE={language}:{_text(event.title)}",
    ]
    if event.intro:
        lines.append(f"DESCRIPTION;LANGUAGE={language}:{_text(event.intro)}")
    if location:
        lines.append(f"LOCATION;LANGUAGE={language}:{_text(location)}")
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude};{event.longitude}")
    lines.append(f"URL:{url}")
    if event.last_published_at:
        lines.append(f"LAST-MODIFIED:{_utc(event.last_published_at)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
