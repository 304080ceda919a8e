"""Text helpers of the content pages."""

import unicodedata


def fold_diacritics(text: str) -> str:
    """Vietnamese without its marks, lower case: "Tân Cương" -> "tan cuong", so a
    search typed without accents finds the story written with them (and back)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
