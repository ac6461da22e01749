"""Number and date parsing: examples from the guide, and properties over generated input (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paretl.extract import extract_page
from paretl.extract.dates import parse_date
from paretl.extract.numbers import MalformedNumber, parse_decimal, parse_int, parse_score, words_to_int


@pytest.mark.parametrize("token,value", [("79,10", 79.10), ("79.10", 79.10), ("44,396", 44.396), ("44.396", 44.396),
                                         ("88", 88.0), ("59,6320", 59.632), ("100", 100.0)])
def test_scores(token, value):
    assert parse_score(token) == pytest.approx(value)


@pytest.mark.parametrize("token,value", [("26.819", 26819), ("4.000", 4000), ("03", 3), ("1.234.567", 1234567)])
def test_counts(token, value):
    assert parse_int(token) == value


@pytest.mark.parametrize("token", ["79,,10", "1.2.3", "12,3", "", "7a"])
def test_malformed_counts(token):
    with pytest.raises(MalformedNumber):
        parse_int(token)


@pytest.mark.parametrize("token", ["79,,10", "101,5", "2.681,9", "8a,5"])
def test_malformed_scores(token):
    with pytest.raises(MalformedNumber):
        parse_score(token)


def test_words():
    assert [words_to_int(w) for w in ("một", "ba", "mười", "mười hai", "mười lăm", "xyz")] == [1, 3, 10, 12, 15, None]


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_score_roundtrip_with_decimal_comma(d):
    text = f"{d:.2f}".replace(".", ",")
    assert parse_score(text) == pytest.approx(float(d))


@given(st.integers(min_value=0, max_value=10**9))
def test_count_roundtrip_with_thousands_dots(n):
    assert parse_int(f"{n:,}".replace(",", ".")) == n


@given(st.text(alphabet="0123456789.,a ", max_size=12))
def test_parsers_raise_only_malformed(text):
    for fn in (parse_int, parse_score, parse_decimal):
        try:
            fn(text)
        except MalformedNumber:
            pass


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_date_formats(d):
    for text in (f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
                 f"Thứ tư, {d.day}/{d.month}/{d.year} - 08:30", d.isoformat() + "T08:30:00+07:00",
                 f"ngày {d.day} tháng {d.month} năm {d.year}"):
        assert parse_date(text) == d


@given(st.text(max_size=200))
def test_date_parser_never_raises(text):
    parse_date(text)


def test_impossible_dates():
    assert parse_date("31/02/2020") is None and parse_date("không có ngày") is None


_PIECES = list("0123456789.,/%- ") + ["Chỉ số CCHC ", "năm 2019 ", "xếp thứ ", "điểm ", "tăng ", "bậc ",
                                       "Lạng Sơn ", "tỉnh ", "<p>", "</div>", "\n", "lần lượt ", "từ vị trí ", "và "]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_extractor_never_raises_on_text(text):
    extract_page(text, url="https://x.vn/a")
    extract_page(text, url="https://x.vn/a", content_type="text/plain", published=dt.date(2020, 1, 1))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=400))
def test_extractor_never_raises_on_bytes(data):
    extract_page(data, url=None)
