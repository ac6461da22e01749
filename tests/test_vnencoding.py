"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI): detected, converted to Unicode, and flagged in
core.page_extractions; Unicode pages are left alone."""

import pytest

from paretl import vnencoding as V

UNICODE = "Chỉ số cải cách hành chính năm 2017 của tỉnh Lạng Sơn đạt 79,10 điểm, xếp thứ 27/63, tăng 25 bậc."


def tcvn3(text: str) -> str:
    """Text as a TCVN3 page shows it without its font (the test's own encoder: the table inverted)."""
    back = {ch: chr(b) for b, ch in V._TCVN3.items()}
    return "".join(back.get(ch, ch) for ch in text)


def vni(text: str) -> str:
    """Text as a VNI page shows it without its font."""
    import unicodedata

    tone = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
    circ = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
    breve = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
    single_i = {"ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò"}
    out = []
    for ch in text:
        if ch in single_i:
            out.append(single_i[ch])
            continue
        if ch == "đ":
            out.append("ñ")
            continue
        if ch == "ỵ":
            out.append("î")
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        t = next((m for m in marks if m in tone), "")
        if base in "ou" and "\u031b" in marks:  # horn: ơ ư
            out.append({"o": "ô", "u": "ö"}[base] + (tone[t] if t else ""))
        elif "\u0302" in marks:
            out.append(base + circ[t])
        elif "\u0306" in marks:
            out.append(base + breve[t])
        elif t:
            out.append(base + tone[t])
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("encode,name", [(tcvn3, "tcvn3"), (vni, "vni")])
def test_legacy_text_is_detected_and_converted(encode, name):
    legacy = encode(UNICODE)
    assert legacy != UNICODE and V.detect(legacy) == name
    assert V.convert(legacy, name) == UNICODE


def test_what_such_pages_look_like():
    # the two classic renderings of 'Chỉ số cải cách hành chính' without the fonts
    assert V.convert("ChØ sè c¶i c¸ch hµnh chÝnh", "tcvn3") == "Chỉ số cải cách hành chính"
    assert V.convert("Chæ soá caûi caùch haønh chính", "vni") == "Chỉ số cải cách hành chính"


def test_unicode_is_left_alone():
    text = UNICODE + " Hoà Bình, khoá học, toà án, thuý, ý kiến, Bà Rịa – Vũng Tàu, © 2024 «Báo»"
    assert V.detect(text) is None
    assert V.to_unicode(f"<p>{text}</p>") == (f"<p>{text}</p>", None)


def test_a_mixed_page_converts_only_its_legacy_runs():
    page = ("<html><head><style>.bai{font-family:'.VnTime'}</style></head><body><nav>Trang chủ · Hoà Bình · khoá"
            f"</nav><div class='bai'><p>{tcvn3(UNICODE)}</p><p>{tcvn3('Tỉnh đứng thứ nhất khu vực.')}</p></div>"
            "<a href='/chi-tiet?id=12'>Xem tiếp</a></body></html>")
    out, found = V.to_unicode(page)
    assert found == "tcvn3"
    assert "<nav>Trang chủ · Hoà Bình · khoá</nav>" in out and UNICODE in out and "Tỉnh đứng thứ nhất" in out
    assert "href='/chi-tiet?id=12'" in out


@pytest.mark.parametrize("encode,name", [(tcvn3, "tcvn3"), (vni, "vni")])
def test_a_legacy_page_is_extracted_and_flagged(encode, name):
    from paretl.load import _extract_one

    html = (f"<html><head><meta charset='windows-1252'><title>{encode('Lạng Sơn tăng 25 bậc chỉ số CCHC')}</title>"
            f"</head><body><font face='{'.VnTime' if name == 'tcvn3' else 'VNI-Times'}'><h1>"
            f"{encode('Lạng Sơn tăng 25 bậc chỉ số CCHC')}</h1><p>{encode(UNICODE)}</p></font></body></html>")
    body = html.encode("cp1252")
    out = _extract_one("https://baolangson.vn/a.html", "x", "s", (body, "identity", len(body)), "windows-1252", "text/html", "20")
    assert out["legacy_encoding"] == name and out["error"] is None
    par = [(f["index_year"], f["rank"], f["rank_change"]) for f in out["facts"] if f["index"] == "PAR_INDEX"]
    assert (2017, 27, 25) in par
    assert any("legacy font encoding" in w for w in out["warnings"])
    plain = _extract_one("https://baolangson.vn/b.html", "y", "s", (UNICODE.encode(), "identity", None), "utf-8", "text/plain", "20")
    assert plain["legacy_encoding"] is None
