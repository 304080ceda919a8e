"""Vietnamese delivery addresses and mobile numbers: selectors over the administrative
units and the mapping of an older (pre-1 July 2025, three-level) address to the units
in force.

Addresses follow the two-level form in force since 1 July 2025 (province or centrally
run city, then commune or ward, then street). An older three-level address (province,
district, commune) is accepted and followed through the recorded successions; when the
history cannot tell where a unit went, the buyer is asked for the current one rather
than being guessed for."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import AdministrativeUnit
from catalogue.selectors import unit_current_successors

Level = AdministrativeUnit.Level

# Phone numbers.

# Mobile prefixes (after the leading 0) since the 2018 move from 11 to 10 digits:
# Viettel 032–039, 086, 096–098; VinaPhone 081–085, 088, 091, 094; MobiFone 070,
# 076–079, 089, 090, 093; Vietnamobile 052, 056, 058, 092; Gmobile 059, 099; Reddi 055;
# iTel 087. 095 (S-Fone's old range) is kept: refusing a working number costs a sale,
# accepting a dead one only costs a failed SMS.
MOBILE_PREFIXES = frozenset(
    [f"3{d}" for d in "23456789"]
    + ["52", "55", "56", "58", "59"]
    + ["70", "76", "77", "78", "79"]
    + [f"8{d}" for d in "123456789"]
    + [f"9{d}" for d in "0123456789"]
)
_SEPARATORS = re.compile(r"[\s.\-()/\u00a0]")


def phone_normalize(raw: str) -> str:
    """A Vietnamese mobile number written 0912 345 678, 0912.345.678, +84 912 345 678,
    84912345678 or 0084 … as E.164 ('+84912345678').

    Landlines are refused: couriers text the delivery code and call the mobile number
    on the order (cash on delivery included), and a landline cannot take either."""
    compact = _SEPARATORS.sub("", str(raw or ""))
    if not compact:
        raise ValidationError(_("Enter a mobile phone number."), code="required")
    if compact.startswith("+"):
        if not compact.startswith("+84"):
            raise ValidationError(
                _(
                    "Enter a Vietnamese mobile number (+84 or 0…): the courier in "
                    "Vietnam must be able to call and text it."
                ),
                code="phone_foreign",
            )
        national = compact[3:].removeprefix("0")  # "+84 (0) 912 …" happens
    elif compact.startswith("0084"):
        national = compact[4:].removeprefix("0")
    elif compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith("84") and len(compact) == 11:
        national = compact[2:]
    else:
        national = ""
    if not national.isdigit():
        raise ValidationError(
            _(
                "Enter a Vietnamese mobile number of 10 digits starting with 0, "
                "for example 0912 345 678."
            ),
            code="phone_invalid",
        )
    if national.startswith("2"):
        raise ValidationError(
            _(
                "This looks like a landline number. Please give a mobile number: "
                "the courier texts and calls it about your delivery."
            ),
            code="phone_landline",
        )
    if national.startswith("1") and len(national) == 10:
        raise ValidationError(
            _(
                "Mobile numbers of 11 digits starting with 01 became 10-digit numbers "
                "in 2018: please enter the new number."
            ),
            code="phone_old_format",
        )
    if len(national) != 9:
        raise ValidationError(
            _(
                "A Vietnamese mobile number has 10 digits starting with 0, "
                "for example 0912 345 678."
            ),
            code="phone_invalid",
        )
    if national[:2] not in MOBILE_PREFIXES:
        raise ValidationError(
            _("0%(prefix)s is not a Vietnamese mobile prefix."),
            code="phone_prefix",
            params={"prefix": national[:2]},
        )
    return f"+84{national}"


# Ordering.

_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: 100 + i for i, ch in enumerate(_LETTERS)}
# Breve, circumflex and horn make letters of their own (ă, â, ê, ô, ơ, ư); the five tone
# marks only break ties, in the dictionary order huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[list[int], list[int]]:
    """Sort key in Vietnamese dictionary order: 'Cà Mau' < 'Cao Bằng' < 'Cần Thơ' <
    'Đà Nẵng' (Đ after D, Â after A), which neither SQLite nor a plain sort gives."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        base, *marks = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        if letter in _LETTER_RANK:
            letters.append(_LETTER_RANK[letter])
        elif letter.isdigit():
            letters.append(1 + int(letter))
        elif not letter.isalnum():
            letters.append(0)  # spaces and hyphens first: 'Lai Châu' < 'Lào Cai'
        else:
            letters.append(1000 + ord(letter))
        tones.append(next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0))
    return letters, tones


def units_sorted(units) -> list[AdministrativeUnit]:
    """Units in Vietnamese order of their names (then code, to be deterministic)."""
    return sorted(units, key=lambda u: (vietnamese_sort_key(u.name_vi), u.code))


# Selectors.


def in_force_q(on: dt.date) -> Q:
    """Units valid on a day (an open end means 'always' on that side)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def provinces_in_force(on: dt.date | None = None) -> QuerySet:
    """The provincial-level units in force on a day, as a queryset (for form fields)."""
    on = on or timezone.localdate()
    return AdministrativeUnit.objects.filter(in_force_q(on), level=Level.PROVINCE)


def provinces_current(on: dt.date | None = None) -> list[AdministrativeUnit]:
    """The provinces and centrally run cities in force on a day (today by default),
    in Vietnamese order: 34 from 1 July 2025, 63 the day before."""
    return units_sorted(provinces_in_force(on))


def communes_in_force(on: dt.date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    return AdministrativeUnit.objects.filter(
        in_force_q(on), level=Level.COMMUNE
    ).select_related("parent")


def communes_of(
    province: AdministrativeUnit, on: dt.date | None = None
) -> list[AdministrativeUnit]:
    """The communes and wards in force directly under a province. We only know some:
    an empty list means the buyer types the commune's name."""
    return units_sorted(communes_in_force(on).filter(parent=province))


def unit_postal_name(unit: AdministrativeUnit) -> str:
    """The name a Vietnamese courier reads, whatever the page's language:
    'xã Tân Cương', 'thành phố Hồ Chí Minh'."""
    return f"{unit.kind_vi} {unit.name_vi}".strip()


# Mapping an address to the units in force.


@dataclass(frozen=True)
class ResolvedAddress:
    province: AdministrativeUnit  # in force on the day
    commune: AdministrativeUnit | None  # in force on the day; None: free text
    commune_text: str  # what to print: the unit's Vietnamese name or the typed name
    was_mapped: bool  # an older unit was followed to the one in force
    note: str  # for the buyer when mapped ("… was mapped to …: please check"), else ""


def address_resolve(
    *,
    province: AdministrativeUnit,
    commune: AdministrativeUnit | None = None,
    district: AdministrativeUnit | None = None,
    commune_name: str = "",
    on: dt.date | None = None,
) -> ResolvedAddress:
    """Map a two-level (province, commune) or three-level (province, district, commune)
    address to the units in force on `on` (today by default).

    Raises ValidationError keyed by argument name ('province', 'district', 'commune')
    when the units do not nest, or when a retired unit has no recorded successor or
    several: then the buyer must choose the current unit, we do not guess. A commune
    decides the province (it is the more precise fact); a retired district only helps
    find the province, since the district level no longer exists."""
    on = on or timezone.localdate()
    commune_name = (commune_name or "").strip()
    _check_level(province, Level.PROVINCE, "province")
    if district is not None:
        _check_level(district, Level.DISTRICT, "district")
        _check_within(district, province, "district")
    if commune is not None:
        _check_level(commune, Level.COMMUNE, "commune")
        _check_within(commune, district or province, "commune")

    current_commune = None
    current_province = None
    if commune is not None:
        current_commune = _unit_in_force(commune, on, "commune")
        current_province = _province_of(current_commune)
    elif district is not None and not district.is_valid_on(on):
        provinces = {
            p.pk: p
            for p in map(_province_of, unit_current_successors(district, on))
            if p is not None
        }
        if len(provinces) == 1:
            current_province = next(iter(provinces.values()))
    if current_province is None:
        current_province = _province_of(_unit_in_force(province, on, "province"))
    if current_province is None:  # a unit outside any province: data to fix
        raise ValidationError(
            {"province": ValidationError(_("Choose your province or city."))}
        )

    given = [u for u in (commune, district, province) if u is not None]
    retired = [u for u in given if u.valid_to is not None and u.valid_to < on]
    if current_commune is not None:
        commune_text = unit_postal_name(current_commune)
    else:
        commune_text = commune_name
    note = ""
    if retired:
        place = ", ".join(
            [
                *([current_commune.full_name] if current_commune else []),
                current_province.full_name,
            ]
        )
        note = gettext(
            "Your older address was mapped to %(place)s: please check it."
        ) % {"place": place}
        if current_commune is None and commune_name:
            note += " " + gettext(
                "Communes and wards were reorganised on %(date)s: make sure "
                "“%(name)s” is the name of your commune or ward today."
            ) % {"date": _since(retired[0]), "name": commune_name}
    return ResolvedAddress(
        province=current_province,
        commune=current_commune,
        commune_text=commune_text,
        was_mapped=bool(retired),
        note=note,
    )


def _check_level(unit: AdministrativeUnit, level: str, field: str) -> None:
    if unit.level != level:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(unit)s is not a %(level)s."),
                    code="wrong_level",
                    params={"unit": unit.full_name, "level": Level(level).label},
                )
            }
        )


def _check_within(
    unit: AdministrativeUnit, container: AdministrativeUnit, field: str
) -> None:
    ancestor = unit.parent
    while ancestor is not None and ancestor.pk != container.pk:
        ancestor = ancestor.parent
    if ancestor is None:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(unit)s is not in %(container)s."),
                    code="not_within",
                    params={"unit": unit.full_name, "container": container.full_name},
                )
            }
        )


def _unit_in_force(
    unit: AdministrativeUnit, on: dt.date, field: str
) -> AdministrativeUnit:
    """The unit itself if in force, else its single successor in force."""
    if unit.is_valid_on(on):
        return unit
    if unit.valid_from and unit.valid_from > on:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(unit)s does not exist yet on %(date)s."),
                    code="not_yet",
                    params={
                        "unit": unit.full_name,
                        "date": formats.date_format(on, "DATE_FORMAT"),
                    },
                )
            }
        )
    found = unit_current_successors(unit, on)
    if len(found) == 1:
        return found[0]
    is_commune = unit.level == Level.COMMUNE
    if not found:
        message = (
            _(
                "%(unit)s has not existed since %(date)s and we cannot tell which "
                "commune or ward replaced it: please choose your current commune "
                "or ward."
            )
            if is_commune
            else _(
                "%(unit)s has not existed since %(date)s and we cannot tell which "
                "province or city replaced it: please choose your current province "
                "or city."
            )
        )
        code = "retired_without_successor"
    else:
        message = (
            _(
                "%(unit)s was divided on %(date)s between %(units)s: please choose "
                "your current commune or ward."
            )
            if is_commune
            else _(
                "%(unit)s was divided on %(date)s between %(units)s: please choose "
                "your current province or city."
            )
        )
        code = "retired_with_several_successors"
    params = {
        "unit": unit.full_name,
        "date": _since(unit),
        "units": ", ".join(u.full_name for u in found),
    }
    raise ValidationError({field: ValidationError(message, code=code, params=params)})


def _since(unit: AdministrativeUnit) -> str:
    return formats.date_format(unit.valid_to + dt.timedelta(days=1), "DATE_FORMAT")


def _province_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    while unit is not None and unit.level != Level.PROVINCE:
        unit = unit.parent
    return unit
