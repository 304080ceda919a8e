from search.text import (
    EXACT,
    FIELD_WEIGHTS,
    FOLDED,
    NO_MATCH,
    Vocabulary,
    alternatives,
    expand,
    fold,
    folded_tokens,
    match_strength,
    normalize,
    score,
    suggest,
    tokens,
)

VOCABULARY = {
    "tra",
    "tan",
    "cuong",
    "mat",
    "ong",
    "duong",
    "phen",
    "hai",
    "che",
    "thai",
    "nguyen",
    "mien",
    "viet",
}


# Folding and normalizing


def test_fold_removes_diacritics_and_lowercases():
    # given titles as producers write them / when folded / then plain lowercase ASCII
    assert fold("Trà Tân Cương") == "tra tan cuong"
    assert fold("Miến Việt Cường") == "mien viet cuong"
    assert fold("TRA TAN CUONG") == "tra tan cuong"


def test_fold_maps_d_with_stroke_to_d():
    assert fold("ĐƯỜNG") == "duong"
    assert fold("đậu đỏ") == "dau do"
    # the look-alike Icelandic eth that legacy encodings produced
    assert fold("Ðường") == "duong"


def test_fold_handles_decomposed_input():
    # given the same title typed with combining marks (NFD), as some keyboards send it
    decomposed = "Tra\u0300 Ta\u0302n Cu\u031bo\u031bng"

    # then it folds and normalizes like the precomposed one
    assert fold(decomposed) == "tra tan cuong"
    assert normalize(decomposed) == "trà tân cương"


def test_punctuation_and_whitespace_become_single_spaces():
    assert fold("  Trà (xanh),\tTân-Cương!  500g ") == "tra xanh tan cuong 500g"
    assert normalize("Mật ong / Hà Giang…") == "mật ong hà giang"


def test_apostrophes_join_the_word():
    assert fold("Thổ cẩm H'Mông") == "tho cam hmong"
    assert fold("H’Mông") == fold("hmong")


def test_normalize_keeps_diacritics():
    assert normalize("ĐƯỜNG PHÈN") == "đường phèn"
    assert normalize("Trà Tân Cương") != normalize("Tra Tan Cuong")


def test_normalize_makes_tone_placement_canonical():
    # given both spelling conventions of open oa / oe / uy syllables
    # then they normalize to one form, so they match with exact diacritics
    assert normalize("Hoà Bình") == normalize("Hòa Bình") == "hòa bình"
    assert normalize("thuỷ") == normalize("thủy")
    assert normalize("khoẻ") == normalize("khỏe")
    # and syllables with one spelling are left alone
    assert normalize("quý") == "quý"
    assert normalize("hoàn") == "hoàn"


def test_tokens():
    assert tokens("Đường phèn, Quảng Ngãi") == ["đường", "phèn", "quảng", "ngãi"]
    assert folded_tokens("Đường phèn, Quảng Ngãi") == ["duong", "phen", "quang", "ngai"]


def test_empty_text():
    assert fold("") == normalize("") == ""
    assert tokens("  ,.- ") == folded_tokens("") == []


# Synonyms


def test_che_and_tra_expand_to_each_other():
    assert expand(["che"]) == [{"che", "tra"}]
    assert expand(["tra"]) == [{"che", "tra"}]
    assert expand(["chè", "tân"]) == [{"che", "tra"}, {"tan"}]


def test_a_word_typed_with_other_diacritics_does_not_expand():
    # given "chế" (as in "chế biến", processing), which folds like "chè"
    # then it is not the tea word and keeps to itself
    assert expand(["chế"]) == [{"che"}]


def test_alternatives_keep_the_typed_word_apart_from_its_synonyms():
    assert alternatives(["trà", "xanh"]) == [("tra", {"chè", "che"}), ("xanh", set())]
    assert alternatives(["che"]) == [("che", {"trà", "tra"})]
    assert alternatives(["chế"]) == [("che", set())]


def test_a_synonym_matches_whole_words_only():
    # given "trà", whose synonym "che" begins "chế biến" (processing) once folded
    # then only the word "chè" stands for tea, not words that begin like it
    assert match_strength("trà", "Thực phẩm chế biến") == NO_MATCH
    assert match_strength("tra", "Chè búp") == FOLDED
    assert match_strength("tra", "Che Thai Nguyen") == FOLDED  # no diacritics at all
    # while the typed word still matches the beginning of words (search-as-you-type)
    assert match_strength("chè bi", "Thực phẩm chế biến") == FOLDED
    assert match_strength("tr", "Trà búp") == EXACT


def test_english_is_not_a_synonym():
    assert expand(["tea"]) == [{"tea"}]


def test_synonyms_match_either_way():
    assert match_strength("chè tân cương", "Trà Tân Cương") == FOLDED
    assert match_strength("trà thái nguyên", "Chè Thái Nguyên") == FOLDED
    assert match_strength("che", "Trà móc câu") == FOLDED


# Match strength


def test_exact_diacritics_are_stronger_than_folded():
    # given sugar and a place name that fold alike
    sugar, place = "Đường phèn Quảng Ngãi", "Bánh gai Hải Dương"

    # then "đường" matches the sugar exactly and the place only folded
    assert match_strength("đường", sugar) == EXACT
    assert match_strength("đường", place) == FOLDED
    assert match_strength("duong", sugar) == FOLDED


def test_queries_with_and_without_diacritics_match():
    title = "Trà Tân Cương"
    assert match_strength("trà tân cương", title) == EXACT
    assert match_strength("TRÀ TÂN CƯƠNG", title) == EXACT
    assert match_strength("tra tan cuong", title) == FOLDED
    assert match_strength("TRA TAN CUONG", title) == FOLDED


def test_every_token_must_occur():
    assert match_strength("trà hà giang", "Trà Tân Cương") == NO_MATCH


def test_tokens_match_whole_words_or_word_beginnings():
    assert match_strength("trà tân cươ", "Trà Tân Cương") == EXACT
    assert match_strength("tra tan cuo", "Trà Tân Cương") == FOLDED
    # not the middle of a word
    assert match_strength("uong", "Trà Tân Cương") == NO_MATCH


def test_empty_query_matches_nothing():
    assert match_strength("", "Trà Tân Cương") == NO_MATCH
    assert match_strength(" !? ", "Trà Tân Cương") == NO_MATCH
    assert score("", {"title": "Trà Tân Cương"}) == 0.0


# Score


def test_title_beats_producer_beats_group_beats_description():
    # given the same match in one field of each of four products
    def in_field(field):
        return {name: ("Mật ong" if name == field else "Gạo") for name in FIELD_WEIGHTS}

    # when scored
    title, producer, group, description = (
        score("mật ong", in_field(field))
        for field in ("title", "producer", "group", "description")
    )

    # then
    assert title > producer > group > description > 0


def test_a_stronger_field_wins_over_all_weaker_ones_together():
    title_only = score(
        "mật ong", {"title": "Mật ong bạc hà", "producer": "HTX Đồng Văn"}
    )
    everywhere_else = score(
        "mật ong",
        {
            "title": "Sữa chua",
            "producer": "HTX mật ong",
            "group": "Mật ong",
            "description": "Sữa chua mật ong",
        },
    )
    assert title_only > everywhere_else


def test_exact_beats_folded_in_the_same_field():
    # given sugar, and a Hải Dương product that also matches "đường" in every other field
    sugar = {"title": "Đường phèn", "producer": "HTX Quảng Ngãi"}
    place = {
        "title": "Bánh gai Hải Dương",
        "producer": "Cơ sở đường Ninh Giang",
        "group": "Bánh kẹo, đường",
        "description": "Nhân đậu xanh, đường, mỡ",
    }

    # then the exact title match still ranks first
    assert score("đường", sugar) > score("đường", place) > 0
    # and without diacritics both are folded title matches: the tie breaker decides
    assert score("duong", place) > score("duong", sugar)


def test_missing_and_empty_fields_score_nothing():
    assert score("trà", {"title": "Trà", "producer": None, "description": ""}) == 24.0
    assert score("trà", {}) == 0.0


# Did you mean


def test_suggest_corrects_a_near_miss():
    assert suggest("tra tan cuonh", VOCABULARY) == "tra tan cuong"
    # a transposition counts as one edit
    assert suggest("tra tan cuogn", VOCABULARY) == "tra tan cuong"
    # diacritics in the query do not matter; the suggestion is folded
    assert suggest("Trà Tân Cuonh", VOCABULARY) == "tra tan cuong"


def test_suggest_returns_none_for_known_words():
    assert suggest("mat ong", VOCABULARY) is None
    assert suggest("Mật ong", VOCABULARY) is None
    # the beginning of a word is already a match for search-as-you-type
    assert suggest("tra tan cuo", VOCABULARY) is None


def test_short_tokens_allow_one_edit_only():
    # given a four-letter token two edits away from "mien"
    assert suggest("mavn", VOCABULARY) is None
    # but one edit away is corrected
    assert suggest("mien viwt", VOCABULARY) == "mien viet"


def test_suggest_leaves_far_tokens_and_numbers_alone():
    assert suggest("tra xyzxyz", VOCABULARY) is None
    assert suggest("tra 500g", VOCABULARY) is None


def test_suggest_with_empty_query_or_vocabulary():
    assert suggest("", VOCABULARY) is None
    assert suggest("tra tan cuonh", set()) is None


def test_vocabulary_folds_texts_and_prefers_frequent_words():
    # given titles counted by how often they occur; "cuonf" is one edit from both
    # "cuong" and "cuon"
    tea_first = Vocabulary({"Trà Tân Cương": 5, "Bánh cuốn": 1})
    rolls_first = Vocabulary({"Trà Tân Cương": 1, "Bánh cuốn": 5})

    # then words are folded
    assert "cuong" in tea_first and "cuốn" not in tea_first
    assert len(tea_first) == 5
    # and ties go to the more frequent word
    assert suggest("cuonf", tea_first) == "cuong"
    assert suggest("cuonf", rolls_first) == "cuon"
