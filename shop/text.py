"""Vietnamese text helpers: diacritic folding for slugs and search."""

import unicodedata

from django.utils.text import slugify

# đ/Đ are letters of their own, not d plus a combining mark, so NFKD leaves them alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})


def fold_vietnamese(text: str) -> str:
    """'Trà Tân Cương, Đại Từ' -> 'Tra Tan Cuong, Dai Tu' (case kept)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify_vietnamese(value: str, allow_unicode: bool = False) -> str:
    """Oscar's slug function: ASCII slugs from Vietnamese titles ('tra-tan-cuong')."""
    return slugify(fold_vietnamese(str(value)))
