"""What search.documents writes for the database backend to match and score."""

import pytest

from search.documents import LONGEST_WORD
from search.models import ProductTerms
from search.outbox import outbox_drain_all
from tests.factories import create_product

pytestmark = pytest.mark.django_db


def test_the_terms_hold_each_scored_line_normalized_and_folded_and_padded():
    # given a tea whose producer, group and origin are the factories' Tân Cương ones
    tea = create_product(title="Trà Tân Cương", description="<p>Búp <b>non</b></p>")
    outbox_drain_all()

    terms = ProductTerms.objects.get(document__product=tea)

    # then each line is space-padded, so LIKE '% word%' finds the start of a word
    assert (terms.title, terms.title_folded) == (" trà tân cương ", " tra tan cuong ")
    assert terms.producer_folded.startswith(" hop tac xa che tan cuong ")
    assert (
        terms.group == " chè và sản phẩm từ chè đồ uống tea and tea products beverages "
    )
    assert terms.group_folded == (
        " che va san pham tu che do uong tea and tea products beverages "
    )
    assert terms.description.startswith(" búp non ")
    assert terms.description_folded.endswith(
        " tan cuong thai nguyen tan cuong thai nguyen "
    )
    # words correspond one to one (NFC letters fold one to one)
    for line in ("title", "producer", "group", "description"):
        normalized, folded = getattr(terms, line), getattr(terms, f"{line}_folded")
        assert len(normalized.split()) == len(folded.split())


def test_a_description_word_too_long_to_index_is_cut():
    # given a description holding a run of letters (an inlined image, say) longer
    # than PostgreSQL takes as one word
    blob = "ầ" * 3000
    tea = create_product(title="Trà xanh", description=f"Trà ngon {blob} uống")

    outbox_drain_all()

    # then the document is written, the run cut to LONGEST_WORD letters
    terms = ProductTerms.objects.get(document__product=tea)
    assert f" trà ngon {'ầ' * LONGEST_WORD} uống " in terms.description
