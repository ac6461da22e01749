"""Finding provinces and ministries in Vietnamese text.

Names are matched case-sensitively (proper nouns are capitalised; 'hòa bình' is peace, 'Hòa Bình' the province)
and checked against what stands around them: 'huyện Quảng Ninh', 'sông Đồng Nai', 'Thái Bình Dương', 'thành phố
Lạng Sơn' (the provincial capital, not the province) and 'Chủ tịch Hồ Chí Minh' are not provinces.
Sub-units (a province's departments, districts, cities) are found too, so that a figure about them is never
pinned on the province.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from paretl import reference
from paretl.extract.patterns import UPPER

# Nicknames that also name newspapers, companies or schools ("Sài Gòn Giải Phóng"); too risky to match.
_SKIP_VARIANTS = {"Sài Gòn", "Saigon", "Tây Đô", "HCM", "Ho Chi Minh", "HoChiMinh", "Hồ Chí Minh"}

_SUBUNIT_WORDS = (
    r"Sở|sở|Huyện|huyện|Quận|quận|Thị xã|thị xã|Thành phố|thành phố|TP\.|TP|Tp\.|Tp|Thị trấn|thị trấn|Xã|xã|"
    r"Phường|phường|Ban|Văn phòng|Trung tâm|Chi cục|Cục|Kho bạc|Công an|Bảo hiểm xã hội|Thanh tra|UBND huyện|"
    r"UBND thành phố|UBND thị xã|UBND xã"
)
# ('Thanh tra tỉnh Bình Thuận', 'Công an tỉnh Gia Lai': a department named with its province)
_SUBUNIT = re.compile(rf"(?<!\w)(?:{_SUBUNIT_WORDS})\s+(?=[{UPPER}])"
                      rf"|(?<!\w)(?:Thanh tra|Công an|Bảo hiểm xã hội|Cục Thuế)\s+(?=(?:tỉnh|thành phố)\s+[{UPPER}])"
                      r"|(?<!\w)(?<!là )(?<!là một )[Đđ]ơn vị (?=xếp|đứng|dẫn đầu|có|đạt)")
_SELF = re.compile(
    r"(?<!\w)(?:tỉnh ta|tỉnh nhà|thành phố ta|Thủ đô|[Tt]ỉnh|[Tt]hành phố|TP\.?)(?!\w)"
    rf"(?!\s*,\s*thành)(?!\.?\s*[{UPPER}])"  # ('TP.Hải Phòng' written without a space names Hải Phòng)
)
# 'Bộ này', 'cơ quan này', 'địa phương đó': the unit just named
_ANAPHOR = re.compile(r"(?<!\w)(?:[Bb]ộ|[Cc]ơ quan|[Đđ]ịa phương|[Đđ]ơn vị|[Tt]ỉnh|[Tt]hành phố) (?:này|đó|nói trên)(?!\w)")
# 'Thanh tra tỉnh', 'Công an tỉnh', 'Văn phòng UBND tỉnh': a department of the province, not the province
_DEPARTMENT_OF = re.compile(r"(?<!\w)(?:Thanh tra|Công an|Bảo hiểm xã hội|Cục Thuế|Kho bạc Nhà nước|Văn phòng UBND|"
                            r"Văn phòng Ủy ban nhân dân|Văn phòng HĐND|Văn phòng Đoàn ĐBQH và HĐND)\s+$")
_NOT_SELF_BEFORE = re.compile(r"(?:\d|các|nhiều|những|mọi|\btại|trong|cấp|\bvà|\bmột|tỉnh,|Tỉnh,)\s*$")
_NOT_PROVINCE_BEFORE = re.compile(
    r"(?:huyện|quận|thị xã|xã|phường|sông|Sông|đường|Đường|phố|cầu|hồ|núi|chợ|vịnh|Chủ tịch|Bác|Bác Hồ|"
    r"tư tưởng|Lăng|Bảo tàng|Trường|trường|Đại học|Báo|báo|Đài|Nhà máy|Công ty|Khu công nghiệp|KCN|Cảng|cảng)\s*$"
)
_CITY_BEFORE = re.compile(r"(?:thành phố|Thành phố|TP\.|TP|Tp\.|Tp)\s*$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # province | ministry | self | subunit
    name: str | None = None  # canonical name (63-era for provinces)
    code: str | None = None  # 63-era code for provinces


def trie_pattern(words) -> str:
    """One regex alternation for many literals, factored by common prefixes so the engine does not try each
    word at each position (several times faster on 500 variants); the longest word wins, as in a sorted list."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


@functools.cache
def _province_patterns() -> tuple[re.Pattern[str], dict[str, reference.Province]]:
    by_variant: dict[str, reference.Province] = {}
    for p in reference.provinces_63():
        variants = [p.name, *p.variants]
        for v in list(variants):
            # a hyphen is also written as a dash, spaced or not ('Ba Ria–Vung Tau', 'Thua Thien - Hue')
            if re.search(r"\s?[-–]\s?", v) and not re.fullmatch(r"[a-z\-]+", v):
                core = re.split(r"\s?[-–]\s?", v, maxsplit=1)
                variants += [sep.join(core) for sep in ("-", "–", " - ", " – ")]
        if p.name == "Thừa Thiên Huế":
            variants += ["Thua Thien-Hue", "Thua Thien - Hue", "Thua Thien – Hue"]
        if p.name == "Hồ Chí Minh":
            variants += ["HCM City", "HCMC"]  # 'HCM' alone is too short to trust, 'HCM City' is not
        for v in variants:
            if v in _SKIP_VARIANTS or re.fullmatch(r"[a-z\-]+", v):  # slugs live in URLs, not prose
                continue
            by_variant.setdefault(v, p)
    # 34-era full names of surviving units ("Tỉnh Lào Cai") resolve through their short names.
    return re.compile(rf"(?:(?<![\w.])|(?<=TP\.)|(?<=Tp\.))(?:{trie_pattern(by_variant)})(?!\w)"), by_variant


_CLASSIFIED_NAME = re.compile(r"(?<!\w)(?:tỉnh|thành phố|Tỉnh|Thành phố)\s+(?=((?:[^\W\d_]+\s+){1,3}[^\W\d_]+))")


@functools.cache
def _lower_names() -> dict[str, reference.Province]:
    """Province names of two words or more in small letters ('quảng ninh'): written so after 'tỉnh' they are still
    the province."""
    return {p.name.lower(): p for p in reference.provinces_63() if " " in p.name}


_LOWER_OPENING: set[str] = set()  # ministry variants written with a small first letter


@functools.cache
def _ministry_patterns() -> tuple[re.Pattern[str], dict[str, str]]:
    by_variant: dict[str, str] = {}
    for m in reference.ministries():
        variants = [m.name, *m.variants]
        for v in list(variants):
            if "&" in v:  # 'Bộ GD&ĐT' is also written 'Bộ GD-ĐT', 'Bộ GDĐT', 'Bộ GD và ĐT'
                variants += [v.replace("&", sep) for sep in ("-", "–", "", " và ", " & ")]
            if v.startswith("Ministry of "):  # English news also writes 'the Transport Ministry', 'Justice Ministry'
                variants.append(v[len("Ministry of "):] + " Ministry")
        for v in variants:
            # news writes 'Ủy ban dân tộc', 'Uỷ ban Dân tộc', 'Bộ tư pháp' too
            words = v.split(" ", 1)
            lower = words[0] + " " + words[1].lower() if len(words) == 2 else v
            for form in {v, lower, v.replace("Ủy", "Uỷ"), lower.replace("Ủy", "Uỷ")}:
                by_variant.setdefault(form.lower(), m.name)
                if not form[:1].isupper():
                    _LOWER_OPENING.add(form.lower())  # 'the State Bank
    # Case-blind ('Bộ Nông nghiệp và Phát triển Nông thôn', 'Bộ Giao Thông Vận Tải' in tables and titles), but
    # the name must open with a capital: 'bộ' in running text is no ministry's name.
    return re.compile(rf"(?<!\w)(?:{trie_pattern(by_variant)})(?!\w)", re.IGNORECASE), by_variant


def _is_province_use(text: str, start: int, end: int, p: reference.Province, matched: str) -> bool:
    before = text[max(0, start - 20):start]
    after = text[end:end + 8]
    if _NOT_PROVINCE_BEFORE.search(before):
        return False
    if matched in ("Thái Bình",) and after.startswith(" Dương"):
        return False
    if matched == "Bình Dương" and before.endswith("Thái "):
        return False
    if p.division_type == "tỉnh" and _CITY_BEFORE.search(before) and not matched.lower().startswith("tỉnh"):
        return False  # 'thành phố Lạng Sơn' is the provincial capital
    return True


def exact_unit(text: str) -> Mention | None:
    """The province or ministry a text is exactly the name of ('Đà Nẵng', 'TP. Hồ Chí Minh'), else None."""
    if len(text) > 60:
        return None
    p = _province_patterns()[1].get(text)
    if p is not None:
        return Mention(0, len(text), "province", p.name, p.code)
    name = _ministry_patterns()[1].get(text.lower()) if text[:1].isupper() else None
    return Mention(0, len(text), "ministry", name) if name else None


def find_units(text: str) -> list[Mention]:
    """Every province, ministry, sub-unit and self-reference ('tỉnh ta') in text, in order of position."""
    return list(_find_units(text))


@functools.lru_cache(maxsize=4096)  # table cells and titles repeat; mentions are immutable
def _find_units(text: str) -> tuple[Mention, ...]:
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    prx, pmap = _province_patterns()
    for m in prx.finditer(text):
        p = pmap[m.group(0)]
        if _is_province_use(text, m.start(), m.end(), p, m.group(0)):
            out.append(Mention(m.start(), m.end(), "province", p.name, p.code))
        else:
            out.append(Mention(m.start(), m.end(), "subunit"))
        taken.append((m.start(), m.end()))
    for m in _CLASSIFIED_NAME.finditer(text):
        # 'tỉnh Quảng ninh': a province's name after 'tỉnh' or 'thành phố' with a word in small letters
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        words = m.group(1).split()
        for n in (4, 3, 2):
            p = _lower_names().get(" ".join(words[:n]).lower())
            if p is not None:
                end = m.start(1) + len(" ".join(words[:n]))
                out.append(Mention(m.start(), end, "province", p.name, p.code))
                taken.append((m.start(), end))
                break
    mrx, mmap = _ministry_patterns()
    for m in mrx.finditer(text):
        if m.group(0)[0].isupper() or m.group(0).lower() in _LOWER_OPENING:
            out.append(Mention(m.start(), m.end(), "ministry", mmap[m.group(0).lower()]))
            taken.append((m.start(), m.end()))

    def overlaps(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    for m in _SUBUNIT.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        # 'Sở Nội vụ tỉnh X': the province after a department names whose department it is.
        out.append(Mention(m.start(), m.end(), "subunit"))
    for m in _SELF.finditer(text):
        if overlaps(m.start(), m.end()) or _NOT_SELF_BEFORE.search(text[max(0, m.start() - 8):m.start()]) \
                or _DEPARTMENT_OF.search(text[max(0, m.start() - 25):m.start()]):
            continue
        # 'tỉnh này', 'địa phương đó': the unit just named, not the site's own province
        kind = "anaphor" if re.match(r"\s+(?:này|đó|nói trên|trên)(?!\w)", text[m.end():m.end() + 12]) else "self"
        out.append(Mention(m.start(), m.end(), kind))
    for m in _ANAPHOR.finditer(text):
        if not overlaps(m.start(), m.end()) and not any(mm.start == m.start() for mm in out):
            out.append(Mention(m.start(), m.end(), "anaphor"))
    out.sort(key=lambda mm: mm.start)
    return tuple(_demote_qualifiers(text, out))


_REPORTED_IN_GAP = re.compile(r"(?<!\w)(?:cho biết|cho hay|thông tin|báo cáo|nhận định|khẳng định|năm \d{4})(?!\w)")


def _demote_qualifiers(text: str, mentions: list[Mention]) -> list[Mention]:
    """A province right after a sub-unit ('Sở Tư pháp tỉnh Lạng Sơn', 'huyện Cao Lộc, tỉnh Lạng Sơn') qualifies it."""
    out: list[Mention] = []
    for i, m in enumerate(mentions):
        if m.kind in ("province", "self") and out and out[-1].kind == "subunit":
            prev = out[-1]
            # the sub-unit's own name runs up to the next word boundary pair; allow its name plus a linking word
            gap = text[prev.end:m.start]
            # (not across a verb of reporting or a year: 'Sở Nội vụ cho biết năm 2018 Nghệ An đứng thứ 4')
            if len(gap) <= 40 and re.fullmatch(r"[\w\s]*?(?:,\s*)?(?:của\s+)?(?:tỉnh|thành phố|TP\.?)?\s*", gap) \
                    and not re.search(r"[.;:()]", gap) and not _REPORTED_IN_GAP.search(gap):
                out.append(Mention(m.start, m.end, "subunit"))
                continue
        out.append(m)
    return out


# 'Hà Nội (TTXVN 18/4/2024) ...', 'Quảng Ninh (QNP) - ...': where the story was filed, not what it is about.
_DATELINE_AFTER = re.compile(r"\s*\(\s*(?:[A-ZĐ][A-Za-zĐ/]{1,11}|[\w-]+\.(?:vn|com|net))(?:\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?\s*\)")


_INDEX_OF = re.compile(r"(?:[Cc]hỉ số|PAR INDEX|SIPAS|[Đđ]iểm số|[Tt]hứ hạng)(?: [A-ZĐ&]{2,10}| (?:cải cách (?:hành chính|thủ tục hành chính|TTHC|thể chế|tổ chức bộ máy|công vụ|tài chính công)|hài lòng))?"
                       r"(?:\s+(?:Par|PAR) (?:Index|INDEX))?"  # 'chỉ số cải cách hành chính Par Index của Bộ ...'
                       r"(?:\s*\([^()]{1,12}\))?(?:\s+(?:năm\s+)?\d{4})?\s+của\s*$")


def is_announcer(text: str, u: Mention) -> bool:
    """'do Bộ Nội vụ công bố', 'Theo Quyết định của Bộ Nội vụ': the ministry announces, it is not ranked; a dateline
    province at the head of a paragraph is where the story was filed."""
    if u.kind == "province" and u.start <= 2 and _DATELINE_AFTER.match(text, u.end):
        return True
    if u.kind == "subunit":
        # 'qua đánh giá của Ban Chỉ đạo CCHC Chính phủ': the steering committee that assesses, not a unit ranked
        return text.startswith("Ban Chỉ đạo", u.start) or bool(
            re.search(r"(?:đánh giá của|do|theo|Theo)\s*$", text[max(0, u.start - 15):u.start]))
    if u.kind != "ministry":
        return False
    if _INDEX_OF.search(text[max(0, u.start - 60):u.start]):
        return False  # 'Chỉ số CCHC năm 2019 của Bộ Tài nguyên và Môi trường đạt ...': the ministry's own index
    return bool(re.search(r"(?:của|do|theo|Theo|Quyết định)\s*$", text[max(0, u.start - 15):u.start])
                or re.match(r"\s*(?:đã\s+|vừa\s+|chính thức\s+)*(?:công bố|ban hành|tổ chức|chủ trì|hướng dẫn|phê duyệt)",
                            text[u.end:u.end + 30]))


def code_for_period(name_63: str, code_63: str, index_year: int | None, period: str | None):
    """(unit_code, unit_name) of a province's activity figure: a period that ended before the merger took effect
    ('2025-Q1', '2025-H1') is the old province's, whatever its year; any other follows code_for_year."""
    import datetime as dt

    from paretl.extract.periods import period_end

    end = period_end(period)
    if end is not None and end < dt.date.fromisoformat(reference.MERGER_DATE):  # the day the 34 took over
        return code_63, name_63
    return code_for_year(name_63, code_63, index_year)


def code_for_year(name_63: str, code_63: str, index_year: int | None) -> tuple[str | None, str | None]:
    """(unit_code, unit_name) of a province named in text, in the era of the index year.

    After the 2025 merger only the 34 units exist: a surviving name keeps its unit (under its new code where it
    changed); a name merged away has no unit of its own that year and yields (None, None).
    """
    if reference.era_for_year(index_year) == 63:
        return code_63, name_63
    for p in reference.provinces_34():
        if p.name == name_63 or (name_63 == "Thừa Thiên Huế" and p.name == "Huế"):
            return p.code, p.name
    return None, None
