"""Reform activity figures in the English editions of Vietnamese outlets ('the total number of records received
at the provincial level was 95,120', 'an on-time settlement rate of 99.42 per cent', 'cut 215 staff').

The same contract as the Vietnamese reader (docs/facts.md): metric, value, unit, level, period and reporter, and
the same caution. A figure takes the period phrase that governs it in its sentence (before it, or after it in its
clause), else the one its paragraph or the article's headline or lead named; the body (the provincial service
centre, the provincial, district or commune level) named nearest before it in its sentence, else in its paragraph.
Left out, as in Vietnamese: roundings and bounds ('more than 98%'), averages ('per day'), shares of online,
overdue or returned dossiers, targets and plans, running totals ('since', 'so far', '2021-2025'), one ward's,
commune's or district's own centre, and a figure whose period the text does not give.
"""

from __future__ import annotations

import datetime as dt
import re

from paretl.extract.activity import Activity
from paretl.extract.clauses import split_sentences
from paretl.extract.periods import range_code
from paretl.extract.units import Mention, find_units

# English numerals: thousands by commas, decimals by a point ('18,240', '99.42')
N = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
# (what a procedure's paperwork is called; 'cases' and 'requests' only as an administrative procedure's: alone
# they are as often court or police cases and citizens' petitions)
_ITEM = (r"(?:(?:administrative (?:procedure )?)?(?:\(AP\) |\(TTHC\) )?(?:(?:administrative )?procedure |AP )?"
         r"(?:records?|dossiers?|applications?|files?|documents?)"
         r"|administrative(?: procedure)? (?:\(AP\) )?(?:cases?|requests?))")
_ON_TIME = (r"(?:on[- ]time(?: (?:and|or) (?:ahead of (?:schedule|time)|early|before (?:the )?deadline))?|timely|"
            r"(?:early|ahead of (?:schedule|time)|before (?:the )?deadline)(?: (?:and|or) on[- ]time)?|"
            r"correct and early|early and correct|on or ahead of (?:schedule|time)|on schedule|within the deadline|"
            r"before and on (?:time|schedule|the deadline)|on time and before the deadline|on time or in advance|in advance)")
_PCT = r"\s*(?:%|per ?cent\b)"
# a resolved count followed by how timely it was ('... were processed and settled on time or early'): the on-time ones
_TIMELINESS_AFTER = re.compile(rf"[^.;,]{{0,40}}?\b(?:{_ON_TIME}|late|overdue|behind)\b", re.IGNORECASE)
_VERB_IS = r"(?:reached|was|were|is|are|at|of|stood at|hit|achieved|totall?ed|numbered|amounted to|:)"

_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("dossiers_received", "dossiers", re.compile(
        rf"\breceived(?: and (?:processed|handled|resolved|settled|returned))?(?: a total of)? {N} (?:new )?{_ITEM}\b"
        rf"(?! (?:online|via|through|by post|for|of|related|on )|-)"
        rf"|\b{_ITEM} received\b(?:[^.;%\d]|(?:19|20)\d\d){{0,70}}?\b{_VERB_IS}\s+{N}(?![\d,.]*{_PCT})"
        rf"|\b(?:number|total) of (?:[\w-]+ ){{0,3}}?{_ITEM}[^.;%\d]{{0,30}}? received\b(?:[^.;%\d]|(?:19|20)\d\d){{0,70}}?"
        rf"\b{_VERB_IS}\s+{N}(?![\d,.]*{_PCT})",
        re.IGNORECASE)),
    ("dossiers_resolved", "dossiers", re.compile(
        # ('processed', 'handled': received or resolved, the English does not say; left out)
        rf"(?<!received and )(?<!received, )\b(?:resolved|settled|completed)(?: a total of)? {N} "
        rf"(?:administrative )?{_ITEM}"
        rf"|(?<![\d,.]){N} {_ITEM} (?:were|have been|had been|was) (?:processed and )?(?:resolved|settled|completed)\b"
        rf"(?! (?:online|late|behind|overdue|after))",
        re.IGNORECASE)),
    ("on_time_rate", "percent", re.compile(
        rf"\b{_ON_TIME}\b[^.;%\d]{{0,50}}?\b(?:rate|ratio|percentage)\b[^.;%\d]{{0,40}}?\b{_VERB_IS}\s+(?:only\s+)?{N}{_PCT}"
        rf"|\b(?:rate|ratio|percentage) of (?:[^.;%\d]{{0,40}}?)\b{_ON_TIME}\b[^.;%\d]{{0,50}}?\b{_VERB_IS}\s+{N}{_PCT}"
        rf"|\b(?:resolved|processed|settled|returned|handled|completed)(?: with results)? {_ON_TIME}\b[^.;%\d]{{0,40}}?"
        rf"\b(?:reached|was|were|is|at|accounting for|accounted for|making up)\s+{N}{_PCT}"
        rf"|\b{_ITEM} (?:(?:were |was )?(?:settled|resolved|processed|handled|returned) )?{_ON_TIME}\b[^.;%\d]{{0,20}}?"
        rf"\b(?:accounted for|accounting for|made up|making up|reached)\s+{N}{_PCT}"
        rf"|(?<![\d,.]){N}{_PCT} (?:of (?:them|(?:the )?(?:[\w-]+ ){{0,3}}?{_ITEM}) )?(?:were |was )?"
        rf"(?:resolved |processed |settled |returned |handled |completed )?{_ON_TIME}\b",
        re.IGNORECASE)),
    ("staff_reduction", "people", re.compile(
        rf"\b(?:cut|reduced|streamlined|downsized|trimmed|slashed|laid off)(?: the (?:payroll|staff|workforce) by)? {N} "
        rf"(?:staff(?:ers)?|employees|civil servants|officials|people|persons|positions|cadres|workers)\b",
        re.IGNORECASE)),
    ("legal_documents", "documents", re.compile(
        rf"\bissued {N} (?:legal (?:normative )?documents|legal normative documents|legal documents)\b", re.IGNORECASE)),
    ("digital_certificates", "certificates", re.compile(rf"(?<![\d,.]){N} digital (?:signature )?certificates\b",
                                                       re.IGNORECASE)),
]
# ', at the district level 136,350 records, and at the commune level 97.5%': the same measure for another level
_LEVEL_NEXT = re.compile(rf"[^.;]*?(?:,|;|\band\b)\s*(?:and\s+)?(?:at|for|in) the (provincial|district|commune) level"
                         rf"(?: (?:was|were|reached|is|of))?\s+{N}\s*(%|per ?cent|{_ITEM})", re.IGNORECASE)
_LEVEL_WORD = {"provincial": "province", "district": "district", "commune": "commune"}

# Words that make the number another kind of figure, or no figure of a period.
_APPROXIMATE_BEFORE = re.compile(r"\b(?:more than|over|nearly|almost|about|around|approximately|roughly|some|"
                                 r"at least|up to|less than|under|above|below|close to)\s+$", re.IGNORECASE)
_OTHER_SHARE = re.compile(r"\b(?:online|overdue|late|behind schedule|digiti[sz]|satisf|electronic|post(?:al)?|"
                          r"returned to|cashless|via the|through the|of which|in which)\b", re.IGNORECASE)
_NOT_METRIC_BEFORE = re.compile(r"\b(?:online|overdue|late|pending|outstanding|digiti[sz]ed|electronic|postal|"
                                r"carried over|backlog|rejected)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_PLAN = re.compile(r"\b(?:target|targets|plan|plans|planned|strive|strives|aim|aims|aiming|goal|will|would|"
                   r"expected|expects|to reach|by 20\d\d|at least)\b", re.IGNORECASE)
_SPAN = re.compile(r"\b(?:since|so far|to date|up to now|until now|accumulated|cumulative|cumulatively|in total since|"
                   r"over the past|in the past|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d|from (?:19|20)\d\d to (?:19|20)\d\d|"
                   r"period|each year|every year|annually)\b", re.IGNORECASE)
_AVERAGE = re.compile(r"\b(?:per day|a day|each day|daily|per month|a month|per week|on average|an average|average)\b",
                      re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:compared (?:to|with)|than|versus|from)\s+(?:the same period (?:of|in) |in |that of )?$",
                       re.IGNORECASE)

_AS_OF = re.compile(r"\b(?:as of|as at|by|until|up to|to)\s+(?:the\s+)?(?:end(?: of)?\s+)?$", re.IGNORECASE)
# a plan's period in a lead ('... in 2023 and deploy key tasks in 2024'): not what the report counts over
_PLAN_PERIOD_BEFORE = re.compile(r"\b(?:tasks?|plans?|targets?|orientations?|directions?|deploy\w*|goals?)\b[^.;,]{0,20}$",
                                 re.IGNORECASE)
# 'Of these, 51,870 dossiers were processed': the part of what the sentence before counted
_OF_THESE = re.compile(r"\s*(?:Of|Out of|Among|In) (?:these|them|which|this number|that number)\b", re.IGNORECASE)

# The body a figure is about: (level, reporter), or None for one ward's, commune's or district's own.
ONE_UNIT = ("one unit", "one unit")
_CENTRE = r"(?:Public Administration(?: Service)? Cent(?:er|re)|(?:Public )?Administrative Service Cent(?:er|re)|" \
          r"Public Service Cent(?:er|re)|Public Administration Cent(?:er|re)|PASC|PAC)s?"
_BODIES: list[tuple[re.Pattern[str], tuple[str, str]]] = [
    # one ward's, commune's or district's own centre or desk ('the Dong Tien ward Public Administration Service
    # Centre', 'the PASC of Lam Son commune', 'Tan Son District's one-stop division')
    (re.compile(rf"\b(?:[A-Z][a-z']+ ){{1,3}}(?:ward|commune|district|town|special zone)(?:['’]s)?\s+(?:{_CENTRE}|"
                rf"one-stop|single-window|People's Committee)"
                rf"|\b(?:{_CENTRE}|one-stop (?:unit|shop|department|section)|single-window (?:unit|section)) "
                rf"(?:of|in|at) (?:the )?(?:[A-Z][a-z']+ ){{1,3}}(?:ward|commune|district|town|special zone)\b"
                rf"|\b(?:ward|commune|district)(?:-level|['’]s)? {_CENTRE}(?! in)"
                # 'In Tien Phuoc district, ...', 'at Dong Tien Ward': what follows is that place's
                rf"|\b(?:[Ii]n|[Aa]t) (?:[A-Z][a-z']+ ){{1,3}}(?:[Ww]ard|[Cc]ommune|[Dd]istrict|[Tt]own)\b"
                rf"|\b(?:ward|commune|special zone) of [A-Z]"
                # a special zone (đặc khu) is a commune-level unit since July 2025: 'Phu Quoc Special Zone', 'the
                # centre of the special zone', 'the special zone has received ...'
                rf"|\b(?:[A-Z][a-z']+ ){{1,3}}Special Zone\b|\b(?:the|this|that) special zone\b"), ONE_UNIT),
    (re.compile(rf"\b(?:[Pp]rovincial |[Pp]rovince['’]s |the )?{_CENTRE}\b"), ("province", "service_centre")),
    (re.compile(r"\b(?:district level|district-level|(?:all |the )?districts(?:, towns(?:,? and cities)?| and towns|"
                r", cities| and cities)?)\b", re.IGNORECASE), ("district", "district")),
    (re.compile(r"\b(?:commune level|commune-level|grassroots level|(?:all |the )?communes(?:, wards(?:,? and towns)?| and wards"
                r"| and towns)?)\b", re.IGNORECASE), ("commune", "commune")),
    (re.compile(r"\b(?:provincial level|provincial-level|provincial (?:agencies|departments|specialised agencies|"
                r"specialized agencies)|the whole province|province-wide|provincewide|across the province|"
                r"throughout the province|the entire province)\b", re.IGNORECASE), ("province", "province")),
]
# a place below the province named as a subject ('Dong Tien ward', 'Tan Son District', 'Lam Son commune')
_ONE_PLACE_SUBJECT = re.compile(r"\s*(?:\([A-Z]{2,5}\)\s*[-–]\s*)?(?:The |In )?(?:[A-Z][a-z']+ ){1,3}(?:[Ww]ard|[Cc]ommune|"
                                r"[Dd]istrict|[Tt]own|[Ss]pecial [Zz]one)\b")
_CITY = re.compile(r"\b(?:[A-Z][a-z']+ ){1,3}(?:[Cc]ity|[Tt]own)\b")
# 'The Center received ...' once the article has named the provincial centre
_BARE_CENTRE = re.compile(r"\b(?:[Tt]he|[Ii]ts) [Cc]ent(?:er|re)\b")
# a named department counting only its own dossiers, or a court's or police's own work: not the province's figure
_DEPARTMENT = re.compile(r"\b(?:Department|Dept\.?) of [A-Z]|\bprovincial police\b|\b[Pp]olice\b|\bLand Registration\b|"
                         r"\bland registration branch|\bcourts?\b|\bprocurac(?:y|ies)\b|\bjudgments?\b", re.IGNORECASE)
_PAPERWORK = re.compile(r"\b(?:records?|dossiers?|applications?|files?|documents?|administrative procedures?)\b",
                        re.IGNORECASE)

_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), 1)}
_MONTH_NAMES = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"({_MONTH_NAMES})"
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11}
_Y = r"((?:19|20)\d{2})"
_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    # 'from January 1 to May 31, 2021', 'from July 1 to September 14, 2025'
    ("range_words", re.compile(rf"\bfrom {_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? {_Y})? (?:to|until|through) "
                               rf"{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? {_Y}|,? this year)", re.IGNORECASE)),
    # 'from July 1 to 23, 2025', 'from July 1 to 23': days of one month
    ("range_days", re.compile(rf"\bfrom {_MONTH} (\d{{1,2}})(?:st|nd|rd|th)? (?:to|until|through) (\d{{1,2}})(?:st|nd|rd|th)?"
                              rf"(?!\d| (?:{_MONTH_NAMES}))(?:,? {_Y})?", re.IGNORECASE)),
    # 'from 1 October 2023 to 31 March 2024'
    ("range_dmy", re.compile(rf"\bfrom (\d{{1,2}}) {_MONTH}(?: {_Y})? (?:to|until|through) (\d{{1,2}}) {_MONTH},? {_Y}",
                             re.IGNORECASE)),
    # 'from 1/7 to 14/9/2025', 'from 01/01/2021 to 31/05/2021'
    ("range_digits", re.compile(rf"\bfrom (\d{{1,2}})[/.-](\d{{1,2}})(?:[/.-]{_Y})? (?:to|until) (\d{{1,2}})[/.-]"
                                rf"(\d{{1,2}})[/.-]{_Y}", re.IGNORECASE)),
    # 'in the first six months of 2024', 'the first 9 months of the year'
    ("first_months", re.compile(rf"\b(?:first|past|last) (\d{{1,2}}|six|nine|three|two|four|five|seven|eight|ten|eleven) "
                                rf"months(?: of (?:the year )?(?:{_Y}|this year|the year))?", re.IGNORECASE)),
    ("half", re.compile(rf"\b(first|second) half of (?:the year )?(?:{_Y}|this year)?|\bH([12])[ /-]{_Y}",
                        re.IGNORECASE)),
    ("quarter", re.compile(rf"\b(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of (?:{_Y}|this year|the year))?"
                           rf"|\bQ([1-4])(?:[/ -]{_Y})?\b|\bquarter (I{{1,3}}|IV|[1-4])(?:[/ -]{_Y})?", re.IGNORECASE)),
    ("month", re.compile(rf"\b(?:[Ii]n|[Dd]uring|[Ff]or|[Oo]f) {_MONTH}(?:,? {_Y})?\b|\b{_MONTH} {_Y}\b")),
    # ('The year 2024 marks significant progress ...': a lead about the year)
    ("year", re.compile(rf"\b(?:in|during|for|of|throughout) (?:the (?:whole |entire )?year )?{_Y}\b(?![/.-]\d)"
                        rf"|\b[Tt]he year (?={_Y}\s+(?:marks|marked|was|saw|has seen|witnessed)\b)(\d{{4}})",
                        re.IGNORECASE)),
]
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
             "i": 1, "ii": 2, "iii": 3, "iv": 4}


class _Period:
    __slots__ = ("start", "end", "code", "year", "needs_year", "kind")

    def __init__(self, start, end, code, year, needs_year=None, kind=""):
        self.start, self.end, self.code, self.year, self.needs_year, self.kind = start, end, code, year, needs_year, kind

    def finish(self, year: int | None) -> tuple[str, int] | None:
        if self.code:
            return self.code, self.year
        if self.needs_year and year:
            code = self.needs_year(year)
            return (code, year) if code else None
        return None


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def period_mentions(text: str) -> list[_Period]:
    """The period phrases of an English sentence, by position (the most specific where they overlap)."""
    out: list[_Period] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PERIODS:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if _PLAN_PERIOD_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
                continue  # '... and deploy key tasks in 2024': a plan's year
            if _AS_OF.search(text[max(0, m.start() - 30):m.start()]):
                out.append(_Period(m.start(), m.end(), None, None, kind="asof"))
                continue  # 'As of the end of April 2025, a cumulative total of ...': a count as it stood, no period's
            if _COMPARED.search(text[max(0, m.start() - 40):m.start()]) or \
                    re.search(r"\b(?:same period|compared)\b[^.;,]{0,15}$", text[max(0, m.start() - 30):m.start()]):
                continue  # what a figure is compared with, not what it counts over
            p = _read(kind, m)
            if p is not None:
                out.append(p)
    return sorted(out, key=lambda p: p.start)


def _read(kind: str, m: re.Match) -> _Period | None:
    g = m.groups()
    s, e = m.start(), m.end()
    if kind in ("range_words", "range_days", "range_dmy", "range_digits"):
        if kind == "range_words":
            m1, d1, y1, m2, d2, y2 = g
        elif kind == "range_days":  # 'from July 1 to 23': the second day in the first one's month
            m1, d1, d2, y2 = g
            m2, y1 = m1, None
        else:
            d1, m1, y1, d2, m2, y2 = g
        month = (lambda x: int(x)) if kind == "range_digits" else (lambda x: _MONTHS[x.lower()])
        return _range(s, e, (month(m1), int(d1)), (month(m2), int(d2)), int(y1) if y1 else None,
                      int(y2) if y2 else None)
    if kind == "first_months":
        if not m.group(0).lower().startswith("first"):
            return None  # 'the past six months': to the article's date, which the text does not give
        n = _WORDS.get(g[0].lower()) or int(g[0])
        if not 2 <= n <= 11:
            return None
        code = (lambda y: f"{y}-H1") if n == 6 else (lambda y: f"{y}-Q1") if n == 3 else (lambda y: f"{y}-M{n}")
        year = int(g[1]) if g[1] else None
        return _Period(s, e, code(year) if year else None, year, None if year else code, "months")
    if kind == "half":
        half = {"first": 1, "second": 2}.get((g[0] or "").lower()) or int(g[2] or 0)
        year = int(g[1] or g[3]) if (g[1] or g[3]) else None
        return _Period(s, e, f"{year}-H{half}" if year else None, year, None if year else (lambda y: f"{y}-H{half}"),
                       "half")
    if kind == "quarter":
        q = _QUARTERS.get((g[0] or "").lower()) or (int(g[2]) if g[2] else None) or _QUARTERS.get((g[4] or "").lower())
        ytxt = g[1] or g[3] or g[5]
        year = int(ytxt) if ytxt else None
        return _Period(s, e, f"{year}-Q{q}" if year else None, year, None if year else (lambda y: f"{y}-Q{q}"),
                       "quarter")
    if kind == "month":
        name, ytxt = (g[0], g[1]) if g[0] else (g[2], g[3])
        month = _MONTHS[name.lower()]
        year = int(ytxt) if ytxt else None
        return _Period(s, e, f"{year}-{month:02d}" if year else None, year,
                       None if year else (lambda y: f"{y}-{month:02d}"), "month")
    if kind == "year":
        year = int(g[0] or g[2])
        return _Period(s, e, str(year), year, kind="year")
    return None


def _range(s: int, e: int, a: tuple[int, int], b: tuple[int, int], y1: int | None, y2: int | None) -> _Period | None:
    """A range of days (month, day) to (month, day); a range that names no year takes the article's ('from January 1
    to March 5 this year')."""
    def code(year_a: int, year_b: int | None = None) -> str | None:
        da, db = _date(year_a, *a), _date(year_b or year_a, *b)
        return range_code(da, db) if da and db and da <= db else None
    if y2 is None:
        return None if y1 else _Period(s, e, None, None, code, "range")
    y1 = y1 or y2
    found = code(y1, y2)
    return _Period(s, e, found, y1, kind="range") if found else None


def _body_before(text: str, pos: int) -> tuple[str, str] | None:
    """(level, reporter) named nearest before pos; a body inside one place's name is that place's ('the ward's
    Public Administration Service Center')."""
    best = None
    places = [m.span() for m in _BODIES[0][0].finditer(text, 0, pos)]
    for rx, body in _BODIES:
        for m in rx.finditer(text, 0, pos):
            if body != ONE_UNIT and any(a <= m.start() < b for a, b in places):
                continue
            if best is None or m.start() > best[0] or (m.start() == best[0] and body == ONE_UNIT):
                best = (m.start(), body)
    return best[1] if best else None


def sentence_figures(sentence: str) -> list[Activity]:
    """The activity figures an English sentence states, with a level where it names one per figure."""
    found: list[Activity] = []
    for metric, unit, rx in _RULES:
        for m in rx.finditer(sentence):
            gi = next(i for i in range(1, (m.lastindex or 0) + 1) if m.group(i))
            token, pos = m.group(gi), m.start(gi)
            if _APPROXIMATE_BEFORE.search(sentence[max(0, pos - 20):pos]):
                continue
            between = sentence[m.start():pos]
            if metric == "on_time_rate" and _OTHER_SHARE.search(between):
                continue
            if _NOT_METRIC_BEFORE.search(sentence[max(0, m.start() - 30):m.start()]) or \
                    (metric != "on_time_rate" and _OTHER_SHARE.search(sentence[m.start():m.end()])):
                continue
            if _AVERAGE.search(sentence[max(0, m.start() - 40):m.end() + 20]):
                continue
            if metric == "dossiers_resolved" and _TIMELINESS_AFTER.match(sentence, m.end()):
                continue  # '9,870 dossiers were processed and settled on time or early': the on-time ones
            value = float(token.replace(",", ""))
            if metric == "on_time_rate" and not 0 < value <= 100:
                continue
            level_here = None
            lm = re.search(r"\bat the (provincial|district|commune) level\s*$", sentence[max(0, pos - 60):pos],
                           re.IGNORECASE) or re.search(r"\bat the (provincial|district|commune) level\b[^,;]{0,40}$",
                                                       sentence[max(0, m.start() - 60):pos], re.IGNORECASE)
            if lm:
                level_here = _LEVEL_WORD[lm.group(1).lower()]
            found.append(Activity(metric, value, unit, level_here, sentence, start=pos))
            # the same measure for other levels, the verb left out
            end = m.end()
            while True:
                nx = _LEVEL_NEXT.match(sentence, end)
                if not nx:
                    break
                is_pct = nx.group(3).lower().replace(" ", "") in ("%", "percent")
                if is_pct != (unit == "percent"):
                    break
                found.append(Activity(metric, float(nx.group(2).replace(",", "")), unit,
                                      _LEVEL_WORD[nx.group(1).lower()], sentence, start=nx.start(2)))
                end = nx.end()
    found.sort(key=lambda a: a.start)
    # one number read by two rules: keep the first rule's reading
    out, seen = [], set()
    for a in found:
        if a.start not in seen:
            seen.add(a.start)
            out.append(a)
    return out


def english_activities(blocks: list[str], primary: Mention | None, lead_year: int | None) -> list[tuple]:
    """(unit mention, period code, index year, Activity) for each figure an English article states.

    blocks: the title and the paragraphs; primary: the unit the article is about (the site's province, or the
    one its headline names); lead_year: the year the headline or lead names, for period phrases that name none."""
    out = []
    article_period: _Period | None = None
    article_body = None
    for text in blocks[:3]:
        # the headline's or lead's period (the first it names, not a plan's) and body ('The Provincial Public
        # Administration Service Center received ...', 'Tan Son District speeds up its one-stop desk')
        found = [p for p in period_mentions(text) if p.kind != "asof"]
        article_period = article_period or (found[0] if found else None)
        found_body = _body_before(text, len(text))
        if found_body in (("province", "service_centre"), ONE_UNIT):  # who reports, not a level a figure names
            article_body = article_body or found_body
    if article_body is None and any(_ONE_PLACE_SUBJECT.match(text) for text in blocks[:3]):
        article_body = ONE_UNIT  # 'Dong Tien ward makes ...': an article about one commune, ward or district
    if article_body is None:  # a lead that comes after a masthead and menus the text capture kept
        article_body = next((b for b in (_body_before(t, len(t)) for t in blocks[3:8])
                             if b == ("province", "service_centre")), None)
    centre_named = article_body == ("province", "service_centre")
    running: _Period | None = None  # the period the paragraphs read so far named last
    # every province the article names: a figure whose sentence and paragraph name none is the article's own
    # province only when the article names no other (a masthead naming one province over a report on another)
    others = {u.name for text in blocks for u in find_units(text) if u.kind == "province"}
    previous_span = False
    for bi, block in enumerate(blocks):
        para_period: _Period | None = None
        para_body = None
        para_unit: Mention | None = None
        for _, sentence in split_sentences(block):
            periods = period_mentions(sentence)
            units = [u for u in find_units(sentence) if u.kind == "province"]
            figures = sentence_figures(sentence)
            part_of_span = previous_span and _OF_THESE.match(sentence) is not None
            previous_span = bool(_SPAN.search(sentence)) or any(p.kind == "asof" for p in periods) or part_of_span
            for f in figures:
                if part_of_span:
                    continue  # a part of a running total the sentence before gave
                if f.metric == "on_time_rate" and not (_PAPERWORK.search(block) or
                                                       (bi and _PAPERWORK.search(blocks[bi - 1]))):
                    continue  # 'resolved 3,200 cases, 98% of them on time': a rate of something, not of dossiers
                clause = sentence[sentence.rfind(";", 0, f.start) + 1:f.start]
                if _PLAN.search(clause) or _SPAN.search(clause) or _SPAN.search(sentence[f.start:f.start + 60].split(",")[0]):
                    continue
                if _DEPARTMENT.search(sentence, 0, f.start):
                    continue  # one department's own count
                if any(not [u for u in find_units(c.group()) if u.kind == "province"]
                       for c in _CITY.finditer(sentence, 0, f.start)):
                    continue  # a city of the province ('Vinh city received ...'), one district's own count
                before = [p for p in periods if p.end <= f.start]
                after = [p for p in periods if p.start > f.start and not re.search(r"[,;]", sentence[f.start:p.start])]
                period = before[-1] if before else after[0] if after else (para_period or running or article_period)
                if period is None or period.kind == "asof":
                    continue  # no period the text gives, or a count as it stood on a day
                done = period.finish(period.year or (para_period.year if para_period else None) or lead_year)
                if done is None:
                    continue
                code, year = done
                body = _body_before(sentence, f.start) or para_body or article_body
                if body is None and centre_named and _BARE_CENTRE.search(sentence, 0, f.start):
                    body = ("province", "service_centre")
                if body == ONE_UNIT:
                    continue
                if f.level:
                    body = (f.level, f.level)
                if article_body == ONE_UNIT and body and body[0] in ("district", "commune") and \
                        not re.search(r"\b[Pp]rovinc", sentence):
                    continue  # an article about one district: its 'commune-level units' are that district's own
                if f.metric in ("dossiers_received", "dossiers_resolved", "on_time_rate"):
                    level, reporter = body or ("province", "province")
                elif body and body[0] in ("district", "commune"):
                    continue  # the districts' or communes' count of a province-wide measure
                else:
                    level, reporter = "province", "province"
                named = {u.name: u for u in units if u.start < f.start} or {u.name: u for u in units}
                unit = next(iter(named.values())) if len(named) == 1 else para_unit
                if unit is None and primary is not None and not (others - {primary.name}):
                    unit = primary  # the article's own province, when it names no other
                if unit is None or len(named) > 1:
                    continue  # whose figure it is the text leaves unsure
                f.level, f.reporter, f.period = level, reporter, code
                out.append((unit, code, year, f))
            if periods and periods[-1].kind != "asof":
                para_period = periods[-1]
            para_body = _body_before(sentence, len(sentence)) or para_body
            centre_named = centre_named or para_body == ("province", "service_centre")
            para_unit = units[-1] if units else para_unit
        running = para_period or running
    return out
