"""What search.documents writes for the database backend to match and score."""

import pytest

from search.models import ProductTerms
from search.outbox import outbox_drain
from tests.factories import create_product

pytestmark = pytest.mark.django_db


def test_the_terms_hold_each_scored_line_normalized_and_folded_and_padded():
    # given a tea whose producer, group and origin are the factories' Tân Cương ones
    tea = create_product(title="Trà Tân Cương", description="<p>Búp <b>non</b></p>")
    while outbox_drain():
        pass

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
