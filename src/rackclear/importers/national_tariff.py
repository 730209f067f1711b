"""A national tariff extract (CSV or XLSX) read through a column mapping: one dated ad valorem
rate per tariff line and treatment (MFN, UST, General ...), each with the file, its SHA-256 and
the row it came from.

The reading is strict and all-or-nothing: the whole file is read first, and every row it cannot
read is named by row and column in one ``TariffFileError`` (``problems`` lists them all). A file
that is not UTF-8, has no data rows, lacks a mapped column or has a truncated row is refused.

What is not an error, because whole tariffs are made of it, is counted and skipped: rows without a
tariff line (headings), lines without a rate printed on them or above them, specific and compound
rates (``1.9¢/kg``, ``5% + 3¢/kg``), and rates stated in words (``See additional U.S. note 1``,
``6.5% on the entire set``). A line with a blank rate cell takes the rate printed on the nearest
line above it whose digits begin its own (USITC and CBSA print a rate once, on the 8-digit line);
``rate_row`` says where that rate was read. See docs/tariff-store.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import pairwise, zip_longest
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rackclear.importers.common import ImportFileError, RefusedFile
from rackclear.rulebook.strict_yaml import load_strict

KEYS = ("line", "rate", "column", "from", "until", "description")
ISO_DATE = "%Y-%m-%d"
NO_LINE = "rows with no tariff line"
NO_RATE = "lines with no rate printed on them or above them"
Row = tuple[int, Sequence[object]]


class MappingError(ValueError):
    """A column mapping (``--columns`` or a mapping file) that cannot be used; lists every problem."""


class TariffFileError(RefusedFile):
    """A tariff file refused as a whole; ``problems`` names every row and column that failed."""


class RateKind(Enum):
    AD_VALOREM = "ad valorem rates"
    SPECIFIC = "specific or compound rates (not ad valorem)"
    IN_WORDS = "rates stated in words (a condition, a special basis or another provision)"
    BLANK = "blank"
    NOT_A_RATE = "not a rate"


_MARKUP = re.compile(r"</?[A-Za-z]+>")  # USITC prints e.g. "2.5% <u></u>"
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent)?", re.IGNORECASE)
_SPECIFIC = re.compile(r"[¢$€£¥₹₩]|\d\s*/\s*\d*\s*[A-Za-z]")  # money, or an amount per unit
_WORD = re.compile(r"[A-Za-z]{2,}")
_LINE = re.compile(r"\d(?:[\d. -]*\d)?")


def read_rate(text: str) -> tuple[RateKind, Decimal | None]:
    """The kind of a rate cell and, for an ad valorem rate, its exact percentage.

    >>> read_rate("Free"), read_rate("2.7%"), read_rate("5")
    ((<RateKind.AD_VALOREM: 'ad valorem rates'>, Decimal('0')), (<RateKind.AD_VALOREM: 'ad valorem rates'>, Decimal('2.7')), (<RateKind.AD_VALOREM: 'ad valorem rates'>, Decimal('5')))
    >>> [read_rate(t)[0].name for t in ("5% + 3¢/kg", "See additional U.S. note 1", "abc", "")]
    ['SPECIFIC', 'IN_WORDS', 'NOT_A_RATE', 'BLANK']
    """
    clean = _MARKUP.sub("", text).strip()
    if not clean:
        return RateKind.BLANK, None
    if clean.casefold() == "free":
        return RateKind.AD_VALOREM, Decimal(0)
    if match := _PERCENT.fullmatch(clean):
        return RateKind.AD_VALOREM, Decimal(match.group(1))
    if _SPECIFIC.search(clean):
        return RateKind.SPECIFIC, None
    if len(_WORD.findall(clean)) >= 2:
        return RateKind.IN_WORDS, None
    return RateKind.NOT_A_RATE, None


@dataclass(frozen=True, slots=True)
class TariffMapping:
    """Which header holds what (``columns``: line and rate, optionally column, from, until and
    description), the treatment when no column holds it, the start date when no column holds it,
    the XLSX sheet, the header's row (1-based) and the format of dates written as text."""

    columns: Mapping[str, str]
    tariff_column: str | None = None
    from_date: date | None = None
    sheet: str | None = None
    header_row: int = 1
    date_format: str = ISO_DATE

    @property
    def treatment(self) -> str | None:
        """The constant treatment: ``tariff_column``, else (no column= either) the rate's header."""
        if "column" in self.columns:
            return None
        return self.tariff_column or self.columns["rate"]


def make_mapping(
    columns: Mapping[str, str],
    *,
    tariff_column: str | None = None,
    from_date: date | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    date_format: str = ISO_DATE,
) -> TariffMapping:
    """A checked ``TariffMapping``; raises ``MappingError`` listing every problem."""
    problems = [f"unknown key {k!r} (expected {', '.join(KEYS)})" for k in columns if k not in KEYS]
    problems += [f"{k}=COLUMN is required" for k in ("line", "rate") if k not in columns]
    problems += [f"{k}= names no column" for k, v in columns.items() if not v.strip()]
    if "column" in columns and tariff_column:
        problems.append(
            "give the treatment either as column=COLUMN or as a tariff column, not both"
        )
    if "from" in columns and from_date:
        problems.append("give the start date either as from=COLUMN or as one date, not both")
    if header_row < 1:
        problems.append(f"header row {header_row} must be 1 or more")
    if problems:
        raise MappingError("\n".join(problems))
    return TariffMapping(
        dict(columns), tariff_column, from_date, sheet, header_row, date_format or ISO_DATE
    )


def parse_columns(text: str) -> dict[str, str]:
    """``line=HTS Number,rate=General Rate of Duty`` as a dict; raises ``MappingError``."""
    pairs = [item.partition("=") for item in text.split(",") if item.strip()]
    problems = [f"{k.strip()!r} is not KEY=COLUMN" for k, eq, _ in pairs if not eq]
    keys = [k.strip() for k, eq, _ in pairs if eq]
    problems += [f"{k!r} is given twice" for k, n in Counter(keys).items() if n > 1]
    if problems:
        raise MappingError("; ".join(problems))
    return {k.strip(): v.strip() for k, _, v in pairs}


class _MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    columns: dict[str, str]
    tariff_column: str | None = None
    from_date: date | None = Field(default=None, alias="from")
    sheet: str | None = None
    header_row: int = 1
    date_format: str = ISO_DATE


def load_mapping(path: Path) -> TariffMapping:
    """A mapping file (YAML: ``columns``, and optionally ``tariff_column``, ``from``, ``sheet``,
    ``header_row``, ``date_format``); raises ``MappingError`` naming the file."""
    try:
        found = _MappingFile.model_validate(load_strict(path.read_text(encoding="utf-8")))
        return make_mapping(
            found.columns,
            tariff_column=found.tariff_column,
            from_date=found.from_date,
            sheet=found.sheet,
            header_row=found.header_row,
            date_format=found.date_format,
        )
    except ValidationError as exc:
        raise MappingError(
            "\n".join(f"{path}: {_where(e)}: {e['msg']}" for e in exc.errors())
        ) from None
    except (MappingError, OSError, ValueError, yaml.YAMLError) as exc:
        raise MappingError("\n".join(f"{path}: {line}" for line in str(exc).splitlines())) from None


def _where(error: Any) -> str:
    return ".".join(str(p) for p in error["loc"]) or "(top)"


@dataclass(frozen=True, slots=True)
class NationalRate:
    """One line's ad valorem rate under one treatment, as read from one row."""

    digits: str
    code: str  # as written in the file
    column: str  # the treatment: MFN, UST, General ...
    rate: Decimal  # percent
    rate_text: str  # as printed
    effective_from: date | None
    effective_until: date | None
    description: str
    row: int  # the line's row
    rate_row: int  # the row the rate was printed on (the line's own, or a line above it)


@dataclass(frozen=True, slots=True)
class NationalTariff:
    """What a file gave: its rates, and how many rows were skipped, by reason."""

    file: Path
    sha256: str
    rates: list[NationalRate]
    data_rows: int
    skipped: dict[str, int]
    inherited: int  # rates taken from a line above


def read_national_tariff(file: Path, mapping: TariffMapping) -> NationalTariff:
    """Every ad valorem rate of ``file`` (CSV or XLSX); raises ``TariffFileError`` listing every
    problem, or ``ImportFileError`` when the file cannot be opened as its kind."""
    xlsx, data = _is_xlsx(file), file.read_bytes()
    if mapping.sheet is not None and not xlsx:
        raise MappingError(f"{file}: a sheet is named, but the file is not an XLSX workbook")
    rows = _xlsx_rows(data, file, mapping.sheet) if xlsx else _csv_rows(data, file)
    header_at = next((i for i, (n, _) in enumerate(rows) if n == mapping.header_row), None)
    if header_at is None:
        raise TariffFileError(file, [f"no header: the file has no row {mapping.header_row}"])
    header = [_header(cell) for cell in rows[header_at][1]]
    reader = _Reader(file, mapping, header, exact_width=not xlsx)
    for number, cells in rows[header_at + 1 :]:
        reader.read(number, cells)
    return reader.result(hashlib.sha256(data).hexdigest())


def _is_xlsx(file: Path) -> bool:
    kind = file.suffix.lower()
    if kind not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise ImportFileError(f"{file}: expected a .csv or .xlsx file, not {kind or 'no suffix'}")
    return kind in (".xlsx", ".xlsm")


def _header(cell: object) -> str:
    return "" if cell is None or isinstance(cell, _BadCell) else str(cell).strip()


def _csv_rows(data: bytes, file: Path) -> list[Row]:
    """The records of a strictly UTF-8 CSV (a BOM is allowed), numbered from 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, bad = data[: exc.start].count(b"\n") + 1, data[exc.start : exc.start + 1].hex()
        why = f"line {line} (byte {exc.start}): byte 0x{bad} is not UTF-8; save the file as UTF-8"
        raise TariffFileError(file, [why]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise TariffFileError(file, [f"line {reader.line_num}: {exc}"]) from None


def _xlsx_rows(data: bytes, file: Path, sheet: str | None) -> list[Row]:
    """Rows of the sheet, numbered as in the sheet, read twice (cached values, and formulas) so
    that a formula without a cached value is caught. The sheet's <dimension> is not trusted."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        books = [
            load_workbook(io.BytesIO(data), read_only=True, data_only=d) for d in (True, False)
        ]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, SyntaxError) as exc:
        raise ImportFileError(f"{file}: not a readable XLSX workbook ({exc})") from None
    try:
        shown, written = (_sheet(book, file, sheet) for book in books)
        pairs = zip(shown.iter_rows(), written.iter_rows(), strict=True)
        return [
            (n, [_cell(v, f) for v, f in zip_longest(a, b)]) for n, (a, b) in enumerate(pairs, 1)
        ]
    finally:
        for book in books:
            book.close()


def _sheet(book: Any, file: Path, name: str | None) -> Any:
    if name is not None and name not in book.sheetnames:
        raise TariffFileError(file, [f"no sheet {name!r} (sheets: {', '.join(book.sheetnames)})"])
    sheet = book[name] if name is not None else book.worksheets[0]
    sheet.reset_dimensions()  # a stale <dimension> would cut rows or columns off
    return sheet


def _cell(shown: Any, written: Any) -> object:
    """A cell's value: its cached value, a ``_BadCell`` (formula without one, error value), and a
    number formatted as a percentage (0.027 shown as 2.7 %) as the text ``2.7%``."""
    if getattr(written, "data_type", None) == "f" and shown.value is None:
        why = f"formula {written.value!r} has no cached value (recalculate and save it in a spreadsheet program)"
        return _BadCell(written.coordinate, why)
    if getattr(shown, "data_type", None) == "e":
        return _BadCell(shown.coordinate, f"{shown.value} is an error value")
    if _number(shown.value) and "%" in (shown.number_format or ""):
        return _plain(Decimal(repr(shown.value)) * 100) + "%"
    return shown.value


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class _BadCell:
    coordinate: str
    why: str


@dataclass(frozen=True, slots=True)
class _Printed:
    """A rate as printed on a line, which the lines beneath it take when theirs is blank."""

    kind: RateKind
    rate: Decimal | None
    text: str
    row: int
    start: date | None = None
    end: date | None = None


class _Reader:
    """Reads the data rows one by one, collecting rates, skips and problems."""

    def __init__(self, file: Path, mapping: TariffMapping, header: list[str], exact_width: bool):
        self.file, self.mapping, self.width, self.exact = file, mapping, len(header), exact_width
        self.index = _index(file, mapping, header)
        self.rates: list[NationalRate] = []
        self.problems: list[str] = []
        self.skipped: Counter[str] = Counter()
        self.printed: dict[tuple[str, str], _Printed] = {}
        self.data_rows = self.inherited = 0

    def read(self, number: int, cells: Sequence[object]) -> None:
        if all(_blank(c) for c in cells):
            return
        self.data_rows += 1
        if self.exact and len(cells) != self.width:
            short = " (a truncated row)" if len(cells) < self.width else ""
            self.problems.append(
                f"row {number}: {len(cells)} field(s), but the header has {self.width}{short}"
            )
            return
        row = _RowCells(number, self.mapping, self.index, cells)
        found = self._rate(row)
        self.problems += row.problems
        if found is not None and not row.problems:
            self.rates.append(found)

    def _rate(self, row: _RowCells) -> NationalRate | None:
        line = row.line()
        if line == "":
            self.skipped[NO_LINE] += 1
            return None
        column, (kind, rate, text) = row.treatment(), row.rate()
        if line is None or column is None or kind is RateKind.NOT_A_RATE:
            if line and column:  # the lines beneath take no rate from it, and are not named again
                self.printed[(column, _digits(line))] = _Printed(kind, None, text, row.number)
            return None
        if kind is RateKind.BLANK:
            return self._inherit(row, line, column)
        printed = _Printed(kind, rate, text, row.number, *row.period())
        self.printed[(column, _digits(line))] = printed
        return self._made(row, line, column, printed)

    def _inherit(self, row: _RowCells, line: str, column: str) -> NationalRate | None:
        digits = _digits(line)
        above = (self.printed.get((column, digits[:k])) for k in range(len(digits) - 1, 0, -1))
        parent = next((p for p in above if p is not None), None)
        if parent is None:
            self.skipped[NO_RATE] += 1
            return None
        if parent.kind is RateKind.NOT_A_RATE:
            return None  # the line above is already named as a problem
        start, end = row.period()
        period = replace(parent, start=_later(start, parent.start), end=_earlier(end, parent.end))
        made = self._made(row, line, column, period)
        self.inherited += made is not None
        return made

    def _made(
        self, row: _RowCells, line: str, column: str, printed: _Printed
    ) -> NationalRate | None:
        if printed.kind is not RateKind.AD_VALOREM or printed.rate is None:
            self.skipped[printed.kind.value] += 1
            return None
        if printed.start and printed.end and printed.start > printed.end:
            row.problems.append(
                f"row {row.number}: the line ends {printed.end}, before its rate (row {printed.row}) starts {printed.start}"
            )
        return NationalRate(
            _digits(line), line, column, printed.rate, printed.text, printed.start, printed.end,
            row.description(), row.number, printed.row,
        )  # fmt: skip

    def result(self, sha256: str) -> NationalTariff:
        """The tariff read; raises ``TariffFileError`` with every problem found."""
        self.problems += _overlaps(self.rates, self.mapping.columns["line"])
        if not self.problems and not self.data_rows:
            self.problems.append(f"no data rows after the header (row {self.mapping.header_row})")
        elif not self.problems and not self.rates:
            why = _counts(self.skipped)
            self.problems.append(
                f"none of the {self.data_rows} data rows holds an ad valorem rate ({why})"
            )
        if self.problems:
            raise TariffFileError(self.file, self.problems)
        skipped = dict(self.skipped)
        return NationalTariff(
            self.file, sha256, self.rates, self.data_rows, skipped, self.inherited
        )


def _index(file: Path, mapping: TariffMapping, header: list[str]) -> dict[str, int]:
    """Where each mapped column is; raises ``TariffFileError`` for a missing or repeated one."""
    where = {
        k: [i for i, h in enumerate(header) if h == name] for k, name in mapping.columns.items()
    }
    shown = ", ".join(repr(h) for h in header)
    problems = [
        f"column {mapping.columns[k]!r} ({k}=) is not in the header (row {mapping.header_row}: {shown})"
        for k, found in where.items()
        if not found
    ]
    problems += [
        f"column {mapping.columns[k]!r} ({k}=) appears {len(found)} times in the header"
        for k, found in where.items()
        if len(found) > 1
    ]
    if problems:
        raise TariffFileError(file, problems)
    return {k: found[0] for k, found in where.items()}


class _RowCells:
    """One data row's mapped cells, read into typed values; what fails is added to ``problems``."""

    def __init__(
        self, number: int, mapping: TariffMapping, index: dict[str, int], cells: Sequence[object]
    ):
        self.number, self.mapping, self.problems = number, mapping, list[str]()
        self.cells = {k: cells[i] if i < len(cells) else None for k, i in index.items()}

    def _bad(self, key: str, why: str) -> None:
        value = self.cells.get(key)
        at = f" (cell {value.coordinate})" if isinstance(value, _BadCell) else ""
        shown = value.why if isinstance(value, _BadCell) else f"{value!r} {why}"
        self.problems.append(
            f"row {self.number}, column {self.mapping.columns[key]!r}{at}: {shown}"
        )

    def _str(self, key: str, why: str) -> str | None:
        value = self.cells.get(key)
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self._bad(key, why)
        return None

    def line(self) -> str | None:
        """The line as written; "" for none (a heading row), None when it cannot be read."""
        text = self._str(
            "line", "is not text: keep tariff lines as text, so that their zeros survive"
        )
        if text == "" and not _blank(self.cells["rate"]):
            self._bad("line", f"is no tariff line, but the row has a rate {self.cells['rate']!r}")
            return None
        if text and not _LINE.fullmatch(text):
            self._bad("line", "is not a tariff line (digits, with dots, spaces or hyphens)")
            return None
        return text

    def treatment(self) -> str | None:
        """The treatment (MFN, UST ...): the mapping's constant, or the row's column= cell."""
        if self.mapping.treatment is not None:
            return self.mapping.treatment
        text = self._str("column", "is not a treatment")
        if text == "":
            self._bad("column", "is not a treatment (the cell is blank)")
        return text or None

    def rate(self) -> tuple[RateKind, Decimal | None, str]:
        """The kind of the rate cell, its percentage if ad valorem, and its text."""
        value = self.cells["rate"]
        text = (
            _plain(Decimal(repr(value))) if _number(value) else self._str("rate", "is not a rate")
        )
        if text is None:
            return RateKind.NOT_A_RATE, None, ""
        kind, rate = read_rate(text)
        if kind is RateKind.NOT_A_RATE:
            self._bad(
                "rate",
                "is not a rate (expected Free, a percentage such as 5% or 2.7, or a specific rate such as 1.9¢/kg)",
            )
        return kind, rate, text

    def period(self) -> tuple[date | None, date | None]:
        """(from, until): from the row's cells, else the mapping's one start date."""
        start = (
            self._date("from", required=True) if "from" in self.cells else self.mapping.from_date
        )
        end = self._date("until", required=False) if "until" in self.cells else None
        if start and end and start > end:
            self._bad("until", f"is before the start {start}")
        return start, end

    def _date(self, key: str, required: bool) -> date | None:
        value = self.cells[key]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if _blank(value) and not required:
            return None
        try:
            return datetime.strptime(str(value).strip(), self.mapping.date_format).date()
        except ValueError:
            self._bad(key, f"is not a date written {self.mapping.date_format}")
            return None

    def description(self) -> str:
        value = self.cells.get("description")
        return value.strip() if isinstance(value, str) else ""


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _later(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(a, b) if a and b else a or b


def _overlaps(rates: Iterable[NationalRate], line_header: str) -> list[str]:
    """A line and treatment given twice for overlapping dates, named at the later row."""
    by_key: dict[tuple[str, str], list[NationalRate]] = {}
    for rate in rates:
        by_key.setdefault((rate.column, rate.digits), []).append(rate)
    problems = []
    for group in (g for g in by_key.values() if len(g) > 1):
        group.sort(key=lambda r: r.effective_from or date.min)
        for a, b in pairwise(group):
            if (
                a.effective_until is None
                or b.effective_from is None
                or a.effective_until >= b.effective_from
            ):
                problems.append(
                    f"row {b.row}, column {line_header!r}: {b.code} ({b.column}) is also at row {a.row}, for overlapping dates"
                )
    return problems


def _counts(counts: Mapping[str, int]) -> str:
    return "; ".join(f"{n:,} {why}" for why, n in counts.items()) or "nothing read"
