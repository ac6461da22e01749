"""Extraction on sentences written for these tests: each states one pattern from the guide, or one trap."""

import datetime as dt

import pytest

from paretl.extract import extract_page


def facts(text, *, province=None, published=dt.date(2024, 5, 10), html=False, url="https://example.vn/a.html"):
    res = extract_page(text, url=url, published=published, source_province_code=province,
                       content_type=None if html else "text/plain")
    return [f for f in res.facts if f["index"] != "activity"], res


def one(text, **kw):
    got, _ = facts(text, **kw)
    assert len(got) == 1, got
    return got[0]


def test_founding_example(seed_text):
    got, res = facts(seed_text, published=None)
    par = [f for f in got if f["index"] == "PAR_INDEX" and f["index_year"] == 2017]
    assert len(par) == 1
    assert all(f["index_year"] in (2016, 2017) for f in got)
    f = par[0]
    assert (f["unit_code"], f["unit_name"], f["index_year"]) == ("20", "Lạng Sơn", 2017)
    assert (f["score"], f["rank"], f["prior_rank"], f["rank_change"]) == (79.1, 27, 52, 25)
    assert "79.10" in f["evidence"]
    acts = {(a["metric"], a["level"], a["value"], a["total"]) for a in res.facts if a["index"] == "activity"}
    assert {("dossiers_received", "province", 26819, None), ("dossiers_resolved", "province", 26607, None),
            ("dossiers_received", "district", 36466, None), ("dossiers_resolved", "district", 35987, None),
            ("staff_reduction", "province", 351, None), ("legal_documents", "province", 87, None),
            ("e_office_units", "commune", 225, 226), ("mailboxes", "province", 4000, None),
            ("digital_certificates", "province", 83, None), ("inspections", "province", 9, None),
            ("inspections", "province", 4, None)} <= acts
    assert all(a["index_year"] == 2017 and a["unit_code"] == "20" for a in res.facts if a["index"] == "activity")


def test_own_province_from_the_source():
    f = one("Chỉ số CCHC năm 2022 của tỉnh ta đạt 86,45 điểm, xếp thứ 39/63 tỉnh, thành phố, tăng 24 bậc.",
            province="51", published=dt.date(2023, 5, 2))
    assert (f["unit_code"], f["score"], f["rank"], f["rank_of"], f["rank_change"], f["prior_rank"]) == \
        ("51", 86.45, 39, 63, 24, 63)


def test_percent_and_point_and_decimal_point():
    f = one("Năm 2012, Chỉ số cải cách hành chính của Đồng Tháp đạt 83,44%, xếp thứ 4.")
    assert (f["score"], f["score_unit"], f["rank"]) == (83.44, "percent", 4)
    f = one("PAR INDEX 2023 của TP. Hồ Chí Minh đạt 86.97 điểm, xếp hạng 33/63.")
    assert (f["unit_code"], f["score"], f["score_unit"], f["rank"], f["rank_of"]) == ("79", 86.97, "points", 33, 63)


def test_words_zero_padding_and_falls():
    assert one("Chỉ số CCHC năm 2023 của Nghệ An xếp thứ 15, tăng một bậc.")["prior_rank"] == 16
    assert one("Chỉ số CCHC năm 2022 của Bắc Giang xếp thứ 4, tăng 03 bậc.")["prior_rank"] == 7
    f = one("Chỉ số CCHC năm 2024 của Hòa Bình xếp thứ 37, giảm 2 bậc so với năm 2023.", published=dt.date(2025, 4, 8))
    assert (f["rank_change"], f["prior_rank"]) == (-2, 35)


def test_first_last_and_from_to():
    assert one("Quảng Ninh dẫn đầu cả nước về Chỉ số CCHC năm 2019.")["rank"] == 1
    f = one("Bến Tre xếp cuối bảng Chỉ số cải cách hành chính năm 2019.")
    assert (f["rank"], f["rank_of"]) == (63, None)  # last of the 63, but the text never says 63
    got, _ = facts("Bộ Nội vụ công bố Chỉ số cải cách hành chính năm 2019 của 63 tỉnh, thành phố. Bến Tre xếp "
                   "cuối bảng.")
    assert [(f["rank"], f["rank_of"]) for f in got] == [(63, 63)]
    got, _ = facts("Chỉ số CCHC năm 2020 của 17 bộ, cơ quan ngang bộ được công bố. Bộ Tư pháp xếp thứ 2, Bộ Y tế "
                   "đứng cuối bảng.")
    assert sorted((f["unit_name"], f["rank"], f["rank_of"]) for f in got) == [("Bộ Tư pháp", 2, 17), ("Bộ Y tế", 17, 17)]
    got, _ = facts("Chỉ số CCHC năm 2023 của Hải Dương vươn lên vị trí thứ 22 từ vị trí thứ 47 năm 2022.")
    by_year = {f["index_year"]: f for f in got}
    assert (by_year[2023]["rank"], by_year[2023]["prior_rank"], by_year[2023]["rank_change"]) == (22, 47, 25)
    # the year before's place, stated with its year, is that year's own fact (docs/facts.md)
    assert (by_year[2022]["rank"], len(got)) == (47, 2)


def test_transitions_and_years_bound_to_figures():
    got, _ = facts("Kết quả PAPI của Tây Ninh năm 2021 tiến bộ so với năm 2020 khi tăng vọt từ thứ hạng 51 lên "
                   "thứ hạng 31.")
    by_year = {f["index_year"]: f for f in got}
    assert (by_year[2021]["rank"], by_year[2021]["prior_rank"], by_year[2021]["rank_change"]) == (31, 51, 20)
    assert by_year[2020]["rank"] == 51
    got, _ = facts("Kết quả PCI của Cà Mau liên tục giảm: từ hạng 4 (năm 2014), hạng 6 (2015), hạng 8 (2016, "
                   "2017), hạng 10 (2018).")
    assert {f["index_year"]: f["rank"] for f in got} == {2014: 4, 2015: 6, 2016: 8, 2017: 8, 2018: 10}
    got, _ = facts("Nếu như năm 2018, Bắc Kạn đứng thứ 60 về PCI, năm 2019 và 2020 xếp hạng 59, năm 2021 đứng "
                   "thứ 48.")
    assert {f["index_year"]: f["rank"] for f in got} == {2018: 60, 2019: 59, 2020: 59, 2021: 48}
    got, _ = facts("Chỉ số CCHC năm 2022 của tỉnh giảm so với năm 2021, từ 87,61% xuống 86,78%.", province="14")
    assert {f["index_year"]: f["score"] for f in got} == {2021: 87.61, 2022: 86.78}
    got, _ = facts("Chỉ số PAPI năm 2021: tỉnh Kon Tum đạt 39,89 điểm, giảm 1,73 điểm so với năm 2020 "
                   "(41,62 điểm).")
    assert {f["index_year"]: f["score"] for f in got} == {2020: 41.62, 2021: 39.89}


@pytest.mark.parametrize("text", [
    "Chỉ số CCHC năm 2019 của An Giang đứng thứ 3 khu vực Đồng bằng sông Cửu Long.",
    "Chỉ số CCHC năm 2020 của Phú Thọ xếp thứ 1/14 tỉnh trung du và miền núi phía Bắc.",
    "Năm 2023, 57/63 tỉnh có Chỉ số CCHC đạt trên 80%.",
    "Điểm trung bình Chỉ số CCHC của các tỉnh Tây Nguyên năm 2021 đạt 84,1 điểm.",
    "Tỉnh phấn đấu đến năm 2025 Chỉ số CCHC xếp trong nhóm 10 địa phương dẫn đầu.",
    "Sở Tư pháp dẫn đầu Chỉ số CCHC các sở, ngành năm 2022 với 92,5 điểm.",
    "Huyện Cao Lộc xếp thứ nhất Chỉ số CCHC cấp huyện năm 2022.",
    "Năm 2023, tổng kim ngạch xuất khẩu của Bắc Giang đứng thứ 3 cả nước.",
    "Đội bóng Hà Nội xếp thứ 2 trên bảng xếp hạng V-League năm 2023.",
    "Trên tuyến đường ven biển Thái Bình Dương, người dân hòa bình xếp hàng thứ 2.",
    "Tư tưởng Hồ Chí Minh được học tập, năm 2023 đạt 95,5 điểm.",
    "Người đứng đầu các cơ quan chịu trách nhiệm về Chỉ số CCHC năm 2023.",
])
def test_traps_yield_no_index_fact(text):
    got, _ = facts(text, published=dt.date(2024, 6, 1))
    assert got == []


def test_score_change_is_not_a_score():
    f = one("Chỉ số CCHC năm 2020 của Quảng Ninh đạt 91,04 điểm, tăng 0,95 điểm so với năm 2019, xếp thứ nhất.")
    assert (f["score"], f["rank"]) == (91.04, 1)


def test_the_parts_of_a_scale_are_no_score():
    from paretl.extract.mentions import score_figures
    text = ("Chỉ số CCHC cấp tỉnh có 8 lĩnh vực, 38 tiêu chí; thang điểm tối đa 100 điểm, gồm 68 điểm chấm kết quả "
            "thực hiện, còn 32 điểm chấm tác động của cải cách hành chính.")
    assert score_figures(text, []) == []
    # a unit's result after the scale is still read
    assert [f.value for f in score_figures("Thang điểm tối đa 100 điểm; Ninh Bình đạt 88,72 điểm.", [])] == [88.72]


def test_change_against_another_year_is_not_year_over_year():
    f = one("Chỉ số CCHC năm 2017 của Quảng Ninh xếp thứ 1, tăng 18 bậc so với năm 2012.")
    assert (f["rank"], f["rank_change"], f["prior_rank"]) == (1, None, None)


def test_several_units_indices_and_respectively():
    got, _ = facts("Năm 2019, Hải Phòng và Cà Mau lần lượt xếp thứ hai và thứ ba về Chỉ số SIPAS. "
                   "Chỉ số CCHC năm 2019 của An Giang đạt 83,32 điểm, xếp thứ 11; Chỉ số SIPAS đạt 89,81%, xếp thứ 8.",
                   published=dt.date(2020, 6, 1))
    by = {(f["unit_name"], f["index"]): f for f in got}
    assert by[("Hải Phòng", "SIPAS")]["rank"] == 2 and by[("Cà Mau", "SIPAS")]["rank"] == 3
    assert (by[("An Giang", "PAR_INDEX")]["score"], by[("An Giang", "PAR_INDEX")]["rank"]) == (83.32, 11)
    assert (by[("An Giang", "SIPAS")]["score"], by[("An Giang", "SIPAS")]["rank"]) == (89.81, 8)


def test_year_from_publication_date():
    f = one("Chỉ số CCHC năm qua của Long An đạt 84,33%, xếp thứ 5.", published=dt.date(2020, 6, 3))
    assert f["index_year"] == 2019


def test_ministry():
    f = one("Ở khối bộ, Bộ Tư pháp xếp thứ nhất về Chỉ số cải cách hành chính năm 2023.")
    assert (f["unit_kind"], f["unit_code"], f["unit_name"], f["rank"]) == ("ministry", None, "Bộ Tư pháp", 1)


def test_after_the_merger_units_take_their_new_codes():
    f = one("Chỉ số CCHC năm 2025 của tỉnh Lào Cai xếp thứ 5/34.", published=dt.date(2026, 4, 20))
    assert (f["unit_code"], f["rank_of"]) == ("15", 34)
    got, _ = facts("Chỉ số CCHC năm 2025 của Yên Bái xếp thứ 5.", published=dt.date(2026, 4, 20))
    assert got == []  # Yên Bái no longer exists as a unit in 2025


def test_malformed_number_is_skipped_with_a_reason():
    got, res = facts("Chỉ số CCHC năm 2020 của Quảng Ngãi đạt 7a,25 điểm, xếp thứ 63/63.", published=dt.date(2021, 6, 1))
    assert got[0]["score"] is None and got[0]["rank"] == 63
    assert any("7a,25" in w for w in res.warnings)


HTML = """<!doctype html><html><head><meta charset="utf-8">
<link rel="canonical" href="https://baomau.vn/chinh-tri/bai-1.html">
<meta property="article:published_time" content="2021-06-02T08:00:00+07:00"><title>Bài</title></head><body>
<nav class="menu"><a href="/">Trang chủ</a><a href="/x">Kinh tế</a></nav>
<h1>Công bố Chỉ số cải cách hành chính năm 2020</h1>
<div class="detail-content"><p>Ban Chỉ đạo vừa công bố Chỉ số cải cách hành chính năm 2020 của 63 tỉnh, thành phố.
Chỉ số CCHC năm 2020 của Quảng Ninh đạt 91,04 điểm, xếp thứ nhất, giữ vững vị trí năm thứ tư liên tiếp.</p>
<p>Kết quả một số địa phương được tổng hợp trong bảng dưới đây, theo số liệu của Bộ Nội vụ, để bạn đọc tiện theo dõi.</p>
<table><tr><th>STT</th><th>Tỉnh, thành phố</th><th>Chỉ số thành phần</th><th>Tổng điểm</th><th>Xếp hạng</th></tr>
<tr><td>1</td><td>Quảng Ninh</td><td>8,5</td><td>91,04</td><td>1</td></tr>
<tr><td>2</td><td>Hải Phòng</td><td>8,1</td><td>90,51</td><td>2</td></tr>
<tr><td>3</td><td>Thừa Thiên - Huế</td><td>7,9</td><td>88,47</td><td>3</td></tr></table></div>
<aside class="sidebar"><h3>Đọc nhiều</h3><p>Bến Tre xếp cuối bảng Chỉ số CCHC năm 2020, đạt 73,87 điểm trong năm qua với nhiều hạn chế.</p></aside>
<footer>Giấy phép số 123/GP-BTTTT</footer></body></html>"""


def test_html_body_table_and_chrome():
    got, res = facts(HTML, html=True, published=None)
    assert res.published == dt.date(2021, 6, 2)
    assert res.url == "https://baomau.vn/chinh-tri/bai-1.html"
    by = {f["unit_name"]: f for f in got}
    assert set(by) == {"Quảng Ninh", "Hải Phòng", "Thừa Thiên Huế"}  # not Bến Tre from the sidebar
    assert (by["Quảng Ninh"]["score"], by["Quảng Ninh"]["rank"], by["Quảng Ninh"]["rank_change"]) == (91.04, 1, 0)
    assert (by["Hải Phòng"]["score"], by["Hải Phòng"]["rank"]) == (90.51, 2)  # the total, not the component
    assert all(f["index_year"] == 2020 and f["url"] == "https://baomau.vn/chinh-tri/bai-1.html" for f in got)


def test_a_page_that_contradicts_itself_keeps_neither_value():
    got, _ = facts("Hải Phòng dẫn đầu Chỉ số CCHC năm 2020. Chỉ số CCHC năm 2020 của Hải Phòng xếp thứ 2, đạt 90,51 điểm.",
                   published=dt.date(2021, 6, 1))
    assert [(f["rank"], f["score"]) for f in got] == [(None, 90.51)]


def test_broken_html_does_not_crash():
    got, res = facts("<html><body><div><p>Chỉ số CCHC năm 2019 của Long An đạt 84,33 điểm, xếp thứ 5/63.<p><div",
                     html=True, published=dt.date(2020, 5, 30))
    assert [(f["unit_code"], f["rank"]) for f in got] == [("80", 5)]
    assert extract_page(b"", url=None).facts == []
    assert extract_page(b"\xff\xfe\x00garbage\x00", url=None).facts == []


def test_decomposed_text_and_legacy_code_page():
    import unicodedata

    text = "Chỉ số CCHC năm 2019 của Hòa Bình đạt 80,61 điểm, xếp thứ 41/63."
    want = one(text, published=dt.date(2020, 6, 1))
    got = one(unicodedata.normalize("NFD", text), published=dt.date(2020, 6, 1))
    assert (got["unit_code"], got["score"], got["rank"]) == (want["unit_code"], 80.61, 41) == ("17", 80.61, 41)
    page = ("<html><head><meta charset='windows-1258'></head><body><div><p>" + text + " Kết quả này được công bố "
            "tại hội nghị trực tuyến của Ban Chỉ đạo cải cách hành chính.</p></div></body></html>")
    res = extract_page(_cp1258(page), charset="windows-1258", url="https://x.vn/a", published=dt.date(2020, 6, 1))
    assert [(f["unit_code"], f["rank"]) for f in res.facts] == [("17", 41)]


def _cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese sites wrote it: letters precomposed where the code page has them, the five
    tone marks as combining characters."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + "".join(c for c in d if c in tones).encode("cp1258")
    return out


def test_english_activity_periods_levels_and_traps():
    """An English edition's activity figures: the quarter a date range in words makes, one figure per level, a
    rate in 'per cent'; a count 'as of' a day and its part, a bound, an online share and one ward's centre are
    none."""
    from paretl.extract.english_activity import english_activities, period_mentions

    assert [p.code for p in period_mentions("From July 1 to September 30, 2025, the centre received 10 dossiers.")] \
        == ["2025-Q3"]
    assert [p.code for p in period_mentions("In the first six months of 2024, it resolved 5 dossiers.")] == ["2024-H1"]
    assert [p.kind for p in period_mentions("As of the end of April 2025, a cumulative total of 13,100 dossiers")] \
        == ["asof"]
    text = ("Quang Ninh reviews its one-stop work in 2024\n"
            "The total number of records received at the provincial level was 95,120 records, at the district level "
            "140,200 records, and at the commune level 190,450 records.\n"
            "The rate of on-time settlement at the provincial level was 99.6 per cent.\n"
            "The province received more than 300,000 dossiers online in 2024.\n"
            "As of the end of December 2024, the province had received a cumulative total of 1,200,000 dossiers. "
            "Of these, 1,190,000 dossiers were processed.\n"
            "In 2024, the Ha Tu ward's Public Administration Service Center received 4,210 dossiers.")
    from paretl.extract.units import find_units

    primary = find_units("Quang Ninh")[0]
    got = {(a.metric, a.level, a.value, period) for _, period, _, a in english_activities(text.split("\n"), primary, 2024)}
    assert got == {("dossiers_received", "province", 95120.0, "2024"), ("dossiers_received", "district", 140200.0, "2024"),
                   ("dossiers_received", "commune", 190450.0, "2024"), ("on_time_rate", "province", 99.6, "2024")}
