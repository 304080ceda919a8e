"""Vietnamese text rules shared by both search backends (issue 7): folding, tokens,
synonyms, the relevance formula and "did you mean". Pure Python, no database.

Two forms of every text:

- ``normalize``: lowercase, punctuation gone, diacritics KEPT ("Đường phèn" ->
  "đường phèn"). Matching on it is an exact-diacritic match.
- ``fold``: ``normalize`` without diacritics, đ -> d ("Đường phèn" -> "duong phen").
  Matching on it finds "tra tan cuong", "trà tân cương" and "TRA TAN CUONG" alike.
"""

import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping

# Anything that is not a letter, digit or combining mark separates words. Apostrophes
# join instead ("H'Mông" -> "hmông"), so "hmong" and "h'mong" find the same product.
_SEPARATOR = re.compile(r"[^\w\u0300-\u036f]|_")
_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
# Legacy Vietnamese encodings often produced the look-alike Icelandic eth (Ð, ð) for
# Đ/đ; lowercasing runs first, so only the small letters need mapping.
_ETH = str.maketrans({"ð": "đ"})
# The combining diacritical marks blocks; after NFD every Vietnamese diacritic is one.
_COMBINING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# đ has no decomposition, so NFD leaves it alone.
_D_STROKE = str.maketrans({"đ": "d"})

# The five tone marks (huyền, sắc, ngã, hỏi, nặng); circumflex, breve and horn are
# part of the vowel and stay put.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Open syllables ending in oa, oe, uy carry the tone on either vowel depending on the
# writer ("hòa"/"hoà", "khỏe"/"khoẻ", "thủy"/"thuỷ"); "qu" is an initial, so "quý"
# and "quà" have only one spelling and do not match (q is not in the class).
_MOVABLE_TONE = re.compile(r"([bcdđghklmnprstvx]*)(?:oa|oe|uy)")


def _canonical_tone(word: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on the first vowel ("hoà" ->
    "hòa"), so both spelling conventions match with exact diacritics."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
    match = _MOVABLE_TONE.fullmatch(base)
    if match is None:
        return word
    vowel_end = match.end(1) + 1
    return unicodedata.normalize("NFC", base[:vowel_end] + tones[0] + base[vowel_end:])


def normalize(text: str) -> str:
    """Lowercase NFC words separated by single spaces, punctuation removed, diacritics
    kept (tone placement made canonical, see ``_canonical_tone``)."""
    text = unicodedata.normalize("NFC", text).lower().translate(_ETH)
    words = _SEPARATOR.sub(" ", text.translate(_APOSTROPHES)).split()
    return " ".join(_canonical_tone(word) for word in words)


def fold(text: str) -> str:
    """``normalize`` without diacritics and with đ -> d: "Trà Tân Cương" -> "tra tan
    cuong", "ĐƯỜNG" -> "duong"."""
    decomposed = unicodedata.normalize("NFD", normalize(text))
    return _COMBINING.sub("", decomposed).translate(_D_STROKE)


def tokens(text: str) -> list[str]:
    """The words of ``normalize(text)``."""
    return normalize(text).split()


def folded_tokens(text: str) -> list[str]:
    """The words of ``fold(text)``."""
    return fold(text).split()


# ---------------------------------------------------------------------------------
# Synonyms

# Groups of words that name the same OCOP goods, written with their diacritics. Only
# well-founded pairs: chè (northern) and trà both mean tea. Regional pairs such as
# lợn/heo, vừng/mè or dứa/thơm are left out on purpose: folded, they collide with
# other words (lon "can", me "tamarind", thom "fragrant") and would widen queries
# that have nothing to do with them. English words never appear here: the English
# text is a separate field, searched with English queries.
SYNONYMS: tuple[frozenset[str], ...] = (frozenset({"chè", "trà"}),)

_EXACT_SYNONYMS: dict[str, frozenset[str]] = {
    word: group for group in SYNONYMS for word in group
}
_FOLDED_SYNONYMS: dict[str, frozenset[str]] = {
    fold(word): group for word, group in _EXACT_SYNONYMS.items()
}


def alternatives(query_tokens: Iterable[str]) -> list[tuple[str, frozenset[str]]]:
    """Each query token as (its folded form, its synonyms as written).

    The folded form matches the beginning of a folded word (search-as-you-type:
    "tra tan cu" finds "Trà Tân Cương"). A synonym matches only a whole word written
    as it is, with its diacritics or with none ("chè" or "che"): "trà" must not find
    "chế biến" (processing), which folds to "che bien". A token without diacritics
    (``folded_tokens``) expands through the folded groups: "tra" -> ("tra", {"chè",
    "che"}). A token typed with diacritics (``tokens``) expands only if it is that
    very word: "trà" -> ("tra", {"chè", "che"}), but "chế" -> ("che", {})."""
    expanded = []
    for token in query_tokens:
        folded = fold(token)
        if folded == token:
            group = _FOLDED_SYNONYMS.get(token, frozenset())
        else:
            group = _EXACT_SYNONYMS.get(token, frozenset())
        synonyms = {
            form
            for word in group
            if fold(word) != folded
            for form in (word, fold(word))
        }
        expanded.append((folded, frozenset(synonyms)))
    return expanded


def expand(query_tokens: Iterable[str]) -> list[set[str]]:
    """Each query token as the set of folded words that may stand for it (see
    ``alternatives``): "che" -> {"che", "tra"}, "chế" -> {"che"}."""
    return [{own, *map(fold, synonyms)} for own, synonyms in alternatives(query_tokens)]


# ---------------------------------------------------------------------------------
# Relevance

EXACT = 3  # every query token occurs with its exact diacritics
FOLDED = 2  # every query token occurs folded, or through a synonym
NO_MATCH = 0

FIELD_WEIGHTS = {"title": 8, "producer": 4, "group": 2, "description": 1}
# Share of the other fields' points added to the best field's points. Small enough
# that the best field decides alone (see ``score``).
TIE_BREAKER = 0.1


def _occurs(token: str, words: list[str]) -> bool:
    """The token is one of the words or the beginning of one (search-as-you-type)."""
    return any(word.startswith(token) for word in words)


def _strength(
    exact: list[str], expanded: list[tuple[str, frozenset[str]]], field_text: str
) -> int:
    if not exact or not field_text:
        return NO_MATCH
    if all(_occurs(token, tokens(field_text)) for token in exact):
        return EXACT
    words, folded = tokens(field_text), folded_tokens(field_text)
    if all(
        _occurs(own, folded) or not synonyms.isdisjoint(words)
        for own, synonyms in expanded
    ):
        return FOLDED
    return NO_MATCH


def match_strength(query: str, field_text: str) -> int:
    """How well one field matches the whole query: ``EXACT`` (3) when every query
    token is a word, or the beginning of a word, of the field with the same
    diacritics; ``FOLDED`` (2) when every token is so once both are folded, or has a
    synonym that is a whole word of the field (see ``alternatives``); ``NO_MATCH``
    (0) otherwise, and for an empty query.

    "đường" is EXACT on "Đường phèn" (sugar) but only FOLDED on "Bánh gai Hải Dương".
    """
    exact = tokens(query)
    return _strength(exact, alternatives(exact), field_text)


def score(query: str, fields: Mapping[str, str | None]) -> float:
    """Relevance of one product to the query, from its fields' texts (keys from
    ``FIELD_WEIGHTS``; a missing or empty field scores nothing).

    Each field earns ``points = FIELD_WEIGHTS[field] * match_strength(query, text)``;
    the product scores ``best + TIE_BREAKER * (sum of the other fields' points)``,
    0.0 when no field matches the whole query.

    The possible ``best`` values are title 24/16, producer 12/8, group 6/4,
    description 3/2 (exact/folded), and the other fields add at most 2.1 (below
    title folded), 0.9 (below producer exact), 0.7, 0.3 or 0: never enough to reach
    the next ``best``. So ranking is decided first by the best field, then by exact
    diacritics over folded in that field, and only then by the other fields: title
    beats producer beats group beats description, and an exact match beats a folded
    one in the same field however many other fields the folded one matches.
    """
    exact = tokens(query)
    expanded = alternatives(exact)
    points = sorted(
        (
            FIELD_WEIGHTS[name] * _strength(exact, expanded, text or "")
            for name, text in fields.items()
        ),
        reverse=True,
    )
    if not points or points[0] == 0:
        return 0.0
    return points[0] + TIE_BREAKER * sum(points[1:])


# ---------------------------------------------------------------------------------
# Did you mean


class Vocabulary:
    """Folded words to correct a query against, indexed for ``suggest``.

    Build it once from titles and producer names (any text: it is folded and split
    here) and keep it while the catalogue does not change; building costs
    O(V log V) for V distinct words. Given a mapping text -> frequency, ties between
    equally close corrections go to the more frequent word.
    """

    def __init__(self, texts: Iterable[str] | Mapping[str, int]):
        counts = texts if isinstance(texts, Mapping) else dict.fromkeys(texts, 1)
        self.frequency: dict[str, int] = defaultdict(int)
        for text, count in counts.items():
            for word in folded_tokens(text):
                self.frequency[word] += count
        self.frequency = dict(self.frequency)
        self._sorted = sorted(self.frequency)
        # (first letter, length) -> words: the only words a correction can be.
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in self._sorted:
            self._buckets[word[0], len(word)].append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.frequency

    def __len__(self) -> int:
        return len(self.frequency)

    def knows(self, token: str) -> bool:
        """A word, or the beginning of one (which search already matches)."""
        i = bisect_left(self._sorted, token)
        return i < len(self._sorted) and self._sorted[i].startswith(token)

    def candidates(self, token: str, limit: int) -> Iterable[str]:
        """Words with the token's first letter and a length within ``limit`` of it."""
        for length in range(len(token) - limit, len(token) + limit + 1):
            yield from self._buckets.get((token[0], length), ())


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus transposition of two
    neighbouring letters), or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _correction(token: str, vocabulary: Vocabulary, max_distance: int) -> str:
    # Single letters and numbers ("500g", "2024") are never misspellings worth fixing.
    if len(token) < 2 or any(ch.isdigit() for ch in token) or vocabulary.knows(token):
        return token
    limit = min(max_distance, 1) if len(token) <= 4 else max_distance
    best = None
    for word in vocabulary.candidates(token, limit):
        distance = _distance(token, word, limit)
        if distance <= limit:
            key = (
                distance,
                -vocabulary.frequency[word],
                abs(len(word) - len(token)),
                word,
            )
            best = min(best, key) if best else key
    return best[-1] if best else token


def suggest(
    query: str, vocabulary: Vocabulary | Iterable[str], max_distance: int = 2
) -> str | None:
    """The folded query with each unknown token replaced by the closest vocabulary
    word, or None when no token changed (including an empty query).

    A token is known when it is a vocabulary word or the beginning of one. An unknown
    token is replaced by a word with the same first letter at an optimal string
    alignment distance of at most ``max_distance``, at most 1 for tokens of up to four
    letters (two edits would turn "mat" into almost anything); the closest wins, then
    the most frequent, then the one of the closest length, then alphabetical order.

    Cost per unknown token of length L: O(log V) to look it up among V distinct
    words, then O(L^2) for each word in its (first letter, length +- limit) buckets,
    a few hundred of 20,000 words: 2-5 ms per unknown token, known tokens cost
    microseconds. A plain iterable is indexed first (O(V log V), ~50 ms for 20,000):
    pass a ``Vocabulary`` built once to avoid that on every query.
    """
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = Vocabulary(vocabulary)
    query_tokens = folded_tokens(query)
    corrected = [_correction(token, vocabulary, max_distance) for token in query_tokens]
    return " ".join(corrected) if corrected != query_tokens else None
