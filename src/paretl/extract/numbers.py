"""Vietnamese numbers: decimal comma, thousands dot, and the pages that mix in a decimal point.

The same token reads differently by what it counts: "44.396" is a score of 44.396 but a count of 44,396 dossiers.
Callers say which they expect; a token that fits neither is malformed and comes back as a reason, never raised.
"""

from __future__ import annotations

import re

# A numeric token as it stands in running text. Letters glued to it ("8a,5") are caught by the caller's
# neighbourhood check, so the token itself is digits and separators only.
NUMBER_TOKEN = r"\d+(?:[.,]\d+)*"

_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mươi": 10,
}
WORD_NUMBER = r"(?:mười|một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)(?:\s+(?:một|mốt|hai|ba|bốn|tư|lăm|năm|sáu|bảy|tám|chín))?"
_ORDINALS = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
ORDINAL_WORD = r"(?:nhất|nhì|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)"


_DIGITS = re.compile(r"\d+")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ONE_SEP = re.compile(r"(\d+)[.,](\d+)")
_DOT_GROUPS = re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?")
_COMMA_GROUPS = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")


class MalformedNumber(ValueError):
    """A numeric-looking token that cannot be read as a number of the expected kind."""


def words_to_int(text: str) -> int | None:
    """'một' -> 1, 'mười hai' -> 12, 'mười lăm' -> 15; None for anything else."""
    parts = text.lower().split()
    if not parts:
        return None
    if len(parts) == 1:
        return _WORDS.get(parts[0]) if parts[0] != "mươi" else None
    if len(parts) == 2 and parts[0] == "mười":
        unit = {"một": 1, "mốt": 1, "lăm": 5, "năm": 5}.get(parts[1], _WORDS.get(parts[1]))
        return 10 + unit if unit and unit < 10 else None
    return None


def ordinal_to_int(word: str) -> int | None:
    return _ORDINALS.get(word.lower())


def parse_int(token: str) -> int:
    """A count: '26.819' -> 26819, '4.000' -> 4000, '03' -> 3, '351' -> 351.

    Raises MalformedNumber for '26,81', '1.23', '12..3' and the like.
    """
    token = token.strip()
    if _DIGITS.fullmatch(token):
        return int(token)
    if _THOUSANDS.fullmatch(token):
        return int(token.replace(".", "").replace(",", ""))
    raise MalformedNumber(f"not a whole number: {token!r}")


def parse_decimal(token: str, *, max_value: float | None = None) -> float:
    """A measured value such as a score: '79,10', '79.10', '44,396', '88', '1.234,5'.

    With one separator the digits after it are decimals, unless there are exactly three of them and the decimal
    reading would exceed max_value: then they are a thousands group ('44.396' stays 44.396 as a score).
    Raises MalformedNumber when the token has doubled or misplaced separators.
    """
    token = token.strip()
    if _DIGITS.fullmatch(token):
        return float(token)
    one = _ONE_SEP.fullmatch(token)
    if one:
        whole, frac = one.groups()
        decimal = float(f"{whole}.{frac}")
        if len(frac) == 3 and max_value is not None and decimal > max_value:
            return float(whole + frac)  # a thousands group, not decimals
        return decimal
    if not _NUMBER.fullmatch(token):
        raise MalformedNumber(f"not a number: {token!r}")
    # Several separators: thousands groups then an optional decimal part of the other kind.
    m = _DOT_GROUPS.fullmatch(token)
    if m:
        return float(m.group(1).replace(".", "") + ("." + m.group(2) if m.group(2) else ""))
    m = _COMMA_GROUPS.fullmatch(token)
    if m:
        return float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
    raise MalformedNumber(f"separators out of place: {token!r}")


def parse_score(token: str) -> float:
    """A score on 0–100 (PAR INDEX, SIPAS percentages, PCI, PAPI on its own scale stays below 100 too)."""
    value = parse_decimal(token, max_value=100.0)
    if not 0 <= value <= 100:
        raise MalformedNumber(f"score out of range 0–100: {token!r}")
    return value


def parse_rank_number(token: str) -> int:
    """'27' or '03' as a rank; a rank is a small whole number."""
    if not re.fullmatch(r"\d{1,3}", token):
        raise MalformedNumber(f"not a rank: {token!r}")
    value = int(token)
    if value < 1:
        raise MalformedNumber(f"rank below 1: {token!r}")
    return value
