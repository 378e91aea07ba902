"""What every official document of the app shares, worded: the issuer, the number
and date left blank for the records clerk, Quốc hiệu and Tiêu ngữ, the signer, the
places where a figure or a date is written, the file names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui.documents.layout import HeaderBlock, Span
from tui.i18n import _, ngettext
from tui.words import format as fmt

# Where the records clerk (văn thư) writes the number, the day and the month by hand.
GAP = "\u00a0" * 6
# A line left for the unit to write by hand: a section whose text was not drafted.
DOTTED_LINE = "…" * 60
# A name missing from the settings, to be written by hand.
DOTTED_NAME = "…" * 12


@dataclass(frozen=True)
class Signing:
    """The settings a document prints (store.config.DocumentsConfig and the unit)."""

    unit_name: str
    supervisor: str
    signer: str
    signer_title: str  # lines separated by "/"; empty: the document's usual ones
    place: str
    issuer_short: str

    @staticmethod
    def from_config(config) -> "Signing":  # noqa: ANN001 - store.config.Config
        documents = config.documents
        return Signing(unit_name=config.unit.name, supervisor=config.unit.supervisor,
                       signer=documents.signer.strip(),
                       signer_title=documents.signer_title.strip(),
                       place=documents.place.strip(),
                       issuer_short=documents.issuer_short.strip())

    def title_lines(self, usual: tuple[str, ...]) -> tuple[str, ...]:
        if not self.signer_title:
            return usual
        return tuple(line.strip().upper() for line in self.signer_title.split("/")
                     if line.strip())

    @property
    def issuer_code(self) -> str:
        return self.issuer_short or "UBND"

    @property
    def place_name(self) -> str:
        return self.place or self.unit_name or DOTTED_NAME


def committee_lines(unit_name: str) -> tuple[Span, ...]:
    """'ỦY BAN NHÂN DÂN' / 'PHƯỜNG 1': the issuer of a commune's documents."""
    return (Span(_("PEOPLE'S COMMITTEE"), bold=True), Span(unit_name.upper(), bold=True))


def committee_name(unit_name: str) -> str:
    """'Ủy ban nhân dân Phường 1' in running text."""
    return _("the People's Committee of {unit}").format(unit=unit_name)


def number_line(symbol: str, issuer_code: str) -> str:
    """'Số:      /KH-UBND': the number is given by the records clerk when it is issued."""
    return _("No.: {gap}/{symbol}-{issuer}").format(gap=GAP, symbol=symbol, issuer=issuer_code)


def date_line(place: str, year: int) -> str:
    """'Phường 1, ngày      tháng      năm 2026': the day and month are written when
    it is signed."""
    return _("{place}, day {gap} month {gap} year {year}").format(place=place, gap=GAP,
                                                                 year=year)


def header(signing: Signing, issuer: tuple[Span, ...], symbol: str,
           today: dt.date) -> HeaderBlock:
    return HeaderBlock(issuer_lines=issuer, number_line=number_line(symbol, signing.issuer_code),
                       national_name=_("SOCIALIST REPUBLIC OF VIETNAM"),
                       motto=_("Independence - Freedom - Happiness"),
                       date_line=date_line(signing.place_name, today.year))


def attached_line(kind: str, symbol: str, signing: Signing, issuer: str, year: int) -> str:
    """'(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng      năm 2026 của ...)'."""
    return _("(Attached to {kind} no. {gap}/{symbol}-{issuer_code} of day {gap} month {gap} "
             "year {year} of {issuer})").format(kind=kind, gap=GAP, symbol=symbol,
                                                issuer_code=signing.issuer_code, year=year,
                                                issuer=issuer)


def points_lost(value: float) -> str:
    """'1,5 điểm' lost."""
    return ngettext("{points} point", "{points} points", 1 if value == 1 else 2).format(
        points=fmt.points(value))


def file_date(today: dt.date) -> str:
    return today.strftime("%Y%m%d")
