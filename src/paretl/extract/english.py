"""Index figures in the English editions of Vietnamese outlets ('Quang Ninh topped the PAR Index 2022 with 90.10
points', 'ranked 17th out of 63', 'up two places', 'followed by Hai Phong and Hanoi').

The same contract as the Vietnamese reader (docs/facts.md) with the same attribution: a figure takes the unit,
index and year named nearest before it in its sentence, else its paragraph's, else the article's; regional
ranks, targets, averages and score changes are left out. Unit names come from the reference's ASCII variants
('Quang Ninh', 'Ho Chi Minh City') and the ministries' English names.
"""

from __future__ import annotations

import re

from paretl.extract.attribution import Context, weakest
from paretl.extract.clauses import split_sentences
from paretl.extract.facts import Fact, _apply, _fact_for
from paretl.extract.mentions import Figure
from paretl.extract.units import Mention, find_units

_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|in|with|was|ranked|province|index)\b", re.IGNORECASE)


def is_english(text: str) -> bool:
    """Text written in English: English function words and (almost) no Vietnamese letters."""
    text = text[:3000]
    letters = len(text) - text.count(" ")
    if letters < 80:
        return False
    return len(_VIETNAMESE.findall(text)) < letters * 0.01 and len(_ENGLISH_WORDS.findall(text)) >= 5


INDEX_EN = {
    "PAR_INDEX": re.compile(r"\bPAR[\s-]?[Ii]ndex\b|\bPAR[\s-]?INDEX\b|[Pp]ublic [Aa]dministration [Rr]eform (?:\(PAR\) )?[Ii]ndex|"
                            r"[Aa]dmin(?:istrative)? [Rr]eform [Ii]ndex|\bPAR\b(?= ranking| rankings| score)"),
    "SIPAS": re.compile(r"\bSIPAS\b|[Ss]atisfaction [Ii]ndex(?: of [Pp]ublic [Aa]dministration [Ss]ervices?)?"),
    "PAPI": re.compile(r"\bPAPI\b|[Pp]rovincial [Gg]overnance and [Pp]ublic [Aa]dministration [Pp]erformance [Ii]ndex"),
    "PCI": re.compile(r"\bPCI\b|[Pp]rovincial [Cc]ompetitiveness [Ii]ndex"),
    "PGI": re.compile(r"\bPGI\b|[Pp]rovincial [Gg]reen [Ii]ndex"),
}
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/])")
_COMPARE = re.compile(r"(?:than|compared (?:to|with)|comparison (?:to|with)|from|since|versus|vs\.?|over|by|until|to|against|"
                      r"(?:up|down) on|from\s+(?:the\s+)?(?:No\.\s*)?\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:place|position|spot))?)\s+(?:in\s+)?$",
                      re.IGNORECASE)
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_ORD = r"(?:(\d{1,2})(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))"
_RANK = re.compile(
    rf"\b(?:ranked|ranking|ranks|(?<=to )rank|placed|came|finished|stood|stands|was|is|remained|rose to|climbed to|moved up to|"
    rf"dropped to|fell to|slipped to|jumped to|in|at|took|to|secured|claimed|held|holds|occupied|occupies|retained|"
    rf"reached|kept|keeps|maintained|maintains)\s+(?:the\s+|its\s+)?(?:No\.\s*(\d{{1,2}})|number\s+(\d{{1,2}})|"
    rf"{_ORD}(?:\s+(?:place|position|spot|rank))?)\b", re.IGNORECASE)
_FIRST = re.compile(r"\b(?:topped|tops|top spot|"
                    # ('how the Provincial Party Committee led, how ...': leadership, not first place)
                    r"(?:led|leads)(?!\s*[,.;:]|\s+(?:and|by|to|efforts?|the (?:work|drive|campaign|implementation))\b)|leading|first place|top position|No\.\s*1\b|"
                    r"took the lead|came top|ranked top|top of the (?:ranking|table|list)|"
                    # 'putting it at the head of the index'
                    r"(?:at|to) the head of the (?:index|ranking|rankings|table|list)\b|headed the (?:index|ranking|rankings|table|list)\b|"
                    # 'reached the top of the 2024 Provincial Competitiveness Index (PCI) rankings'
                    r"(?:reached|reaches|climbed to|rose to) the top of the [^.,;]{0,60}?\b(?:rankings?|table|list|index)\b|"
                    # 'the country's most competitive province', 'obtained the best PCI 2006'
                    r"(?:country|nation)['’]s most competitive province|(?:the\s+)?(?:best|top)[\s-]performer\b|"
                    r"the best (?=(?:Provincial|PCI|PAR|PAPI|SIPAS|Public Administration|Satisfaction)\b))", re.IGNORECASE)
_SECOND = re.compile(r"\brunner-up\b", re.IGNORECASE)
# 'that score left Hanoi 12th nationwide', 'which put it 8th of the 63': a place a score gave the unit
_LEFT_AT = re.compile(r"\b(?:left|leaving|leaves|put|puts|putting|placed)\s+(?:it|(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}))\s+"
                      r"(?:(\d{1,2})(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b(?=\s+(?:nationwide|in the country|of the \d{2}|out of|among|place\b|position\b))",
                      re.IGNORECASE)
_RANK_OUT_OF = re.compile(r"\b(?:ranking|ranked|ranks|placed|placing)\s+(?:at\s+)?(\d{1,2})(?=\s+out of\s+(?:the\s+|all\s+)?\d{2}\b)",
                          re.IGNORECASE)
# a run of years counted ('for eight consecutive years', 'for years'), not the Nth year of one ('for the fourth
# consecutive year')
_YEARS_RUN = re.compile(r"\bfor (?:(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|many|several) )?"
                        r"(?:consecutive |straight |successive )?years\b", re.IGNORECASE)
# 'not among the top 30 provinces and cities leading in the PGI': a leading group, no first place
_TOP_GROUP_BEFORE = re.compile(r"\b(?:among|in|into|of)\s+the\s+top\s+(?:\d{1,2}|ten|five|three)\b[^.;]{0,50}$", re.IGNORECASE)
_LAST = re.compile(r"\b(?:came last|ranked last|finished last|(?:was|is) last(?!\s+(?:year|month|week|time|spring|summer|autumn|winter)\b)|last place|bottom of the (?:ranking|table|list)|at the bottom|"
                   r"(?:had|with|scored|recorded|posted) the lowest (?:total |overall )?(?:score|points|result)|"
                   r"lowest-ranked|ranked bottom)\b", re.IGNORECASE)
_OF = re.compile(r"^\s*(?:out\s+)?of\s+(?:the\s+|all\s+|the (?:country|nation)['’]s\s+)?(\d{2})\b"
                 r"|^\s*among\s+(?:the\s+|all\s+|the (?:country|nation)['’]s\s+)?(\d{2})\b|^\s*/\s*(\d{2})\b",
                 re.IGNORECASE)
_CHANGE = re.compile(
    r"\b(?P<dir>up|rose|rising|risen|climbed|climbing|jumped|jumping|moved up|moving up|advanced|improved|gained|"
    r"gaining|increased|increasing|down|fell|falling|fallen|dropped|dropping|slipped|slipping|declined|slid|lost|"
    r"moved down|decreased|decreasing)\s+"
    r"(?:by\s+)?(?:a further\s+|another\s+)?(?P<num>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:places?|spots?|positions?|ranks?|notches|steps|"
    r"places in the ranking)\b", re.IGNORECASE)
# 'two places higher than a year ago', 'three places lower than in 2020'
_CHANGE_THAN = re.compile(r"\b(?P<num>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:places?|spots?|positions?|notches)\s+"
                          r"(?P<dir>higher|lower)\s+than\b", re.IGNORECASE)
# 'six places up on 2020', 'two spots down from 2021': the count first, then the direction
_CHANGE_AFTER = re.compile(r"\b(?P<num>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:places?|spots?|positions?|notches)\s+"
                           r"(?P<dir>up|down)\b(?=\s+(?:on|from|compared (?:to|with)|over)\b)", re.IGNORECASE)
# 'an increase of 5 ranks', 'a decrease of 14 ranks'
_CHANGE_OF = re.compile(r"\b(?:an?\s+)?(?P<dir>increase|rise|jump|climb|improvement|decrease|drop|fall|decline)\s+of\s+"
                        r"(?P<num>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:ranks?|places?|positions?|spots?|notches)\b",
                        re.IGNORECASE)
# '(from position 27/63 to position 22/63 provinces and cities)'
_POSITION = re.compile(r"\b(?P<dir>from|to|at|in)\s+position\s+(?P<num>\d{1,2})(?:\s*/\s*(?P<of>\d{2}))?\b|"
                       r"\b(?P<dir2>ranked|ranking|ranks|placed|stood)\s+(?P<num2>\d{1,2})\s*/\s*(?P<of2>63|34)\b|"
                       # 'jumped from the 34th position to the 9th'
                       r"\bfrom\s+(?:the\s+)?(?P<num3>\d{1,2})(?:st|nd|rd|th)\s+(?:position|place|spot)\b(?=\s+to\b)",
                       re.IGNORECASE)
_DOWN = re.compile(r"down|fell|falling|fallen|dropped|dropping|slipped|slipping|declined|slid|lost|moved down|lower|"
                   r"decrease|decreased|decreasing|drop|fall|decline",
                   re.IGNORECASE)
_HOLD = re.compile(r"\bfor the (?:second|third|fourth|fifth|sixth|seventh|\d{1,2}(?:st|nd|rd|th)) "
                   r"(?:consecutive|straight|successive) year|\bfor (?:the (?:last |past )?)?(?:\d|two|three|four|five|six|seven) "
                   r"(?:consecutive|straight|successive) years\b|"
                   # 'For the fourth year in a row'
                   r"\bfor the (?:second|third|fourth|fifth|sixth|seventh|\d{1,2}(?:st|nd|rd|th)) (?:year|time) in a row\b|\bretained\b|\bmaintained its\b|\bkept its\b",
                   re.IGNORECASE)
_SCORE = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{1,4})?)\s*(?:(?:points?|pts|percent|per cent|out of 100)\b|%|/100\b)|"
                    r"(?<=score of )(\d{1,3}[.,]\d{1,4})|(?<=scored )(\d{1,3}[.,]\d{1,4})|(?<=scoring )(\d{1,3}[.,]\d{1,4})|(?<=with a )(\d{1,3}[.,]\d{1,4})(?= score)|"
                    # 'was ranked second with 86.13 and ...': two decimals after a place
                    r"(?:(?<=second with )|(?<=third with )|(?<=fourth with )|(?<=fifth with ))(\d{2}[.,]\d{2})(?=\s*(?:,|and\b|\.|;|$))",
                    re.IGNORECASE)
_NOT_SCORE_BEFORE = re.compile(r"(?:up|down|rose|fell|increase|increased|decrease|decreased|gain|gained|higher|lower|"
                               r"more|less|by|of about|average|averaged|over|above|below|under|at least|than|from|"
                               r"to|between|exceeding|nearly|almost|around|about|"
                               # 'each passed 91 per cent' (a bound), 'over 43.9 of a possible 80 points' (the scale)
                               r"passed|exceeded|surpassed|topped|possible|maximum)\s+(?:of\s+|by\s+|than\s+)?$",
                               re.IGNORECASE)
# a province ranking its own departments and districts, or a ranking of something else
_INTERNAL = re.compile(r"\b(?:[Dd]epartments?|[Dd]istricts?|[Ii]nspectorate|agencies and units|boards, and sectors|"
                       r"communes?|DDCI|sectors)\b")
# 'The city's home affairs department said that score left Hanoi 12th nationwide', 'according to the
# Department of Home Affairs': the department tells the province's place; it is not ranked
_DEPARTMENT_AS_SOURCE = re.compile(r"\b[Dd]epartments?(?: of [A-Z][\w ]{0,40}?)?\s+(?:said|says|reported|reports|noted|notes|stated|"
                                   r"announced|added)\b|\baccording to (?:the\s+)?[^,;.]{0,40}?\b[Dd]epartment(?: of [A-Z][\w ]{0,40})?")
_PLACES_WENT_TO = re.compile(rf"\b({'|'.join(_ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))\s+and\s+"
                             rf"({'|'.join(_ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:places?|positions?|spots?)\s+"
                             r"(?:went to|were taken by|belonged to|were claimed by)\s+", re.IGNORECASE)
_TOP_N_RESPECTIVELY = re.compile(r"\brespectively\s+(?:secured|took|occupied|claimed|won|held|ranked in|came in)\s+(?:the\s+)?"
                                 r"top\s+(\d|two|three|four|five)\s+(?:places|positions|spots)\b", re.IGNORECASE)
_COMPARED_TO_YEAR = re.compile(r"\b(?:(?:as\s+)?compared\s+(?:to|with)|against)\s+(?:in\s+)?((?:19|20)\d{2})\b(?![\d/])|"
                               r"\bfrom\s+(?:the\s+)?(?:No\.\s*)?\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:place|position|spot))?\s+in\s+((?:19|20)\d{2})\b",
                               re.IGNORECASE)
_NUMBER_WORD = "|".join(_NUMBER_WORDS)
_FROM_NUMBER = re.compile(rf"\bfrom\s+(?:number|No\.)\s*(?P<a>\d{{1,2}}|{_NUMBER_WORD})\b"
                          rf"(?:\s+to\s+(?:number|No\.)\s*(?P<b>\d{{1,2}}|{_NUMBER_WORD})\b"
                          r"|(?=\s+(?:a year (?:earlier|ago|before)|last year|in the previous year)\b))", re.IGNORECASE)


def _number(token: str) -> int | None:
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token.lower())


# 'neither Da Nang nor Binh Duong reached the top position', 'failed to take first place': no place held
_NEGATED_BEFORE = re.compile(r"\b(?:neither|nor|not|never|failed to|no longer|n['’]t)\b[^.;,]{0,60}$", re.IGNORECASE)
_WITH_SCORE_OPENS = re.compile(r"\s*With\s+(?:a score of\s+)?\d{1,3}(?:[.,]\d{1,4})?\s*(?:points?|per cent|percent|%)\s*,\s*(?:the\s+)?")
# 'Dong Thap came next (65.28 points), then Lao Cai (64.67 points)'
_CAME_NEXT = re.compile(r"\s+(?:came|was|ranked|finished|placed|stood)\s+next\b", re.IGNORECASE)
_THEN_NEXT = re.compile(r"\s*(?:province|city)?\s*(?:(?:came|was|ranked|finished|placed|stood)\s+next\s*)?(?:\([^()]*\)\s*)?"
                        r",?\s*(?:and\s+)?then\s+(?:came\s+)?", re.IGNORECASE)
_FOLLOWED = re.compile(r"\b(?:follow(?:ed|ing) (?:closely |immediately )?by|ahead of|then came|next (?:were|was|came))\s+", re.IGNORECASE)
# 'was followed closely by Da Nang (70.1 points)': the unit after it is named, not an agent ('announced by VCCI')
_FOLLOWED_BY_BEFORE = re.compile(r"\bfollow(?:ed|ing)\s+(?:closely\s+|immediately\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
_REGIONAL = re.compile(r"^[^.;]{0,40}?\b(?:in the (?:Mekong|Red River|Central|Northern|Southern|North|South)|region|"
                       # (not '63 provinces and centrally-run cities': all of them)
                       r"(?<!provinces and )(?<!provinces, and )(?:other |five )?centrally[- ]run (?:cities|municipalities)|"
                       r"Delta|Highlands|among (?:the )?(?:\d+ )?(?:provinces|localities) (?:in|of) the|"
                       # 'led the 14 northern midland and mountainous provinces': a region's count, not the nation's
                       r"(?:the )?(?!63\b|34\b)\d{1,2} (?:\w+ ){0,4}(?:provinces|localities))\b")
# a rank of the past: 'Binh Duong previously ranked the first ... for three consecutive years'
_PAST_BEFORE = re.compile(r"\b(?:previously|formerly|used to|had once|once|had been|had ranked)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
# a span of years ('during 2013-2021', 'in the 2016-2020 period'): ranks in it belong to no one year
_SPAN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}(?!\d)")
# the year a figure's own parenthesis gives: 'from 15th position with 60.65 points (in 2016) to ...'
_PAREN_YEAR_AFTER = re.compile(r"^(?:\s*(?:with|at|of)\s+[\d.,]+\s*(?:points?|%|percent))?\s*\(\s*(?:in\s+)?((?:19|20)\d{2})\s*\)")
# 'ranked 6th out of 63 provinces and cities in the Mekong Delta': a count of all, then the region after all
_REGION_AFTER_OF = re.compile(r"^\s*(?:out of|among)\s+(?:the\s+)?\d{2}\s+(?:provinces|localities)(?:\s+and\s+(?:cities|"
                              r"municipalities))?\s+(?:in|of)\s+the\s+(?:Mekong|Red River|Central|Northern|Southern|North|"
                              r"South|Southeast|Northwest|Northeast)")
# a rate of dossiers handled, not an index's score ('on-time percentage reaching 96.6 percent')
_NOT_INDEX_SCORE = re.compile(r"\b(?:on-time|dossiers?|applications|records|procedures|percentage|rate|turnout|"
                              r"growth|GRDP|budget)\b", re.IGNORECASE)
# 'climbing from 55th position in 2015 to 37th in 2017': a move over more than a year
_MULTI_YEAR_MOVE = re.compile(r"\bfrom\b[^.;]{0,40}?\b((?:19|20)\d{2})\b[^.;]{0,40}?\bto\b[^.;]{0,40}?\b((?:19|20)\d{2})\b")
_MOVE_YEARS_AFTER = re.compile(r"\s+from\b[^.;]{0,30}?\b((?:19|20)\d{2})\b[^.;]{0,30}?\bto\b[^.;]{0,30}?\b((?:19|20)\d{2})\b")
# a move in a parenthesis right after a unit of a list of moves: 'Ninh Binh (42 to 18)'
_PAREN_MOVE = re.compile(r"(?<=[A-Za-z]\s)\((\d{1,2})(?:st|nd|rd|th)?\s+to\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\)")
_THE_INDEX_AFTER = re.compile(r"\s+(?:in\s+|on\s+)?the\s+(?:index|ranking|rankings|list|table)\b", re.IGNORECASE)
_LAST_YEAR_OPENS = re.compile(r"\s*(?:In\s+)?[Ll]ast year\b\s*,?")
_PAST_WORD = re.compile(r"\b(?:previously|formerly|used to|once)\b", re.IGNORECASE)
_ORD_AFTER_UNIT = re.compile(rf"\s+(?:(?:province|city)\s+)?(?:was\s+|is\s+|came\s+)?((?:(\d{{1,2}})(?:st|nd|rd|th)|"
                             rf"({'|'.join(_ORDINAL_WORDS)})))\b(?=\s+(?:with|at|on)\b|\s*[,.;(])", re.IGNORECASE)
_FROM_IN_TO = re.compile(r"\bfrom\s+(?:the\s+)?(?P<a>\d{1,2})(?:st|nd|rd|th)(?:\s+(?:place|position|spot))?\s+in\s+(?P<y>(?:19|20)\d{2})"
                         r"\s+to\s+(?:the\s+)?(?P<b>\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_PAREN_PLACE = re.compile(r"(?<=\()\s*(?P<n>\d{1,2})\s*/\s*(?P<of>63|34)\b(?=\s*(?:,\s*\d{1,3}(?:[.,]\d{1,3})?\s*(?:%|points?)\s*)?\))")
# ('fell to 62nd place, down from 41st in 2012', 'well up from No. 52 in 2019': the place moved from, dated)
_PRIOR_FROM = re.compile(r"\b(?:up|down|rising|climbing|falling|dropping|improving)\s+from\s+(?:the\s+)?(?:No\.\s*(?=\d{1,2}\b(?!st|nd|rd|th)))?(\d{1,2})(?:st|nd|rd|th)?"
                         r"(?:\s+(?:place|position|spot))?(?=\s+(?:last year|a year (?:ago|earlier|before)|in the previous year|in (?:19|20)\d{2})\b)",
                         re.IGNORECASE)
# 'second place among the most reform-oriented localities over 20 years': another award, over many years
_NOT_THE_RANKING_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:among the most|over (?:the (?:past|last) )?\d+ years|in \d+ years)\b",
                                    re.IGNORECASE)
# 'compared to the previous year's rankings in 2021': the year compared with;
# 'since the first PCI report in 2005': where a count of years starts
_COMPARED_YEAR_BEFORE = re.compile(r"(?:previous year['’]s|last year['’]s|compared (?:to|with)|\bsince\b(?=[^.;,]{0,40}$))"
                                   # (not across a parenthesis: '... compared to 2021 (ranked 52nd in 2021)')
                                   r"[^.;()]{0,40}?\bin\s+$",
                                   re.IGNORECASE)
# 'compared to 2023 (90.76%)', '(up 1 place compared to 2023, ranked 6th out of 63)': a figure in a parenthesis that
# opens right after a comparison with a year, or that follows one inside it, is that year's own
_COMPARED_PAREN_OPEN = re.compile(r"compared (?:to|with)\s+(?:in\s+)?((?:19|20)\d{2})\s*\(\s*$", re.IGNORECASE)
_COMPARED_IN_PAREN = re.compile(r"\(\s*[^()]{0,40}?\bcompared (?:to|with)\s+(?:in\s+)?((?:19|20)\d{2})\s*[,;]\s*"
                                r"(?:(?:it\s+|and\s+)?(?:was\s+)?(?:ranked|ranking|placed|at|with)\s+)?$", re.IGNORECASE)


# 'ranked second was Tay Ninh', 'second place went to Lao Cai': the place's holder is named after it
_HOLDER_AFTER = re.compile(r"\s*(?:place|position|spot)?\s*(?:was|went to|belonged to|is)\s+(?:the\s+)?$", re.IGNORECASE)


# 'Second place went to Hai Phong, ..., and third to Dong Thap': a place given to the unit named right after it (the
# figure ends where the holder begins)
_WENT_TO = r"(?:(?:place|position|spot)\s+(?:went|was taken by|belonged)\s+)?(?:to|by)\s+(?:the\s+)?"
_PLACE_WENT = re.compile(r"(?:^|(?<=[,;]\s)(?:and\s+)?)(?P<ord>" + "|".join(_ORDINAL_WORDS) + r")\s+" + _WENT_TO
                         + r"(?=(?-i:[A-Z]))", re.IGNORECASE)


def _went_to(sentence: str, fig: Figure) -> bool:
    """The figure is a place given to the unit right after it ('Second place went to', 'and third to')."""
    return fig.kind == "rank" and bool(_WENT_TO_SPAN.fullmatch(sentence, fig.start, fig.end))


_WENT_TO_SPAN = re.compile(r"(?:" + "|".join(_ORDINAL_WORDS) + r")\s+" + _WENT_TO, re.IGNORECASE)


_HIGHEST_WAS = re.compile(r"\bwith the highest (?:total |overall )?(?:score|points)\s+(?:was|is|went to)\s+(?:the\s+)?$",
                          re.IGNORECASE)


# 'Ranking 6th, Thua Thien Hue has climbed ...', 'far ahead of the runner-up, Bac Ninh province': the place opens
# the sentence, or is a runner-up, and its holder comes right after the comma
_PLACE_OPENS = re.compile(r"^\s*(?:Ranking|Ranked|Placed|Standing|Coming|Finishing)\s+(?:at\s+|in\s+)?(?:the\s+)?$", re.IGNORECASE)
_COMMA_HOLDER = re.compile(r"\s*(?:place|position|spot)?\s*,\s*(?:the\s+)?", re.IGNORECASE)


def _holder_after(sentence: str, fig: Figure, units: list[Mention]) -> Mention | None:
    after = [u for u in units if u.start >= fig.end]
    if not after:
        return None
    between = sentence[fig.end:after[0].start]
    if _HOLDER_AFTER.fullmatch(between) or not between.strip() and _went_to(sentence, fig):
        return after[0]
    if _COMMA_HOLDER.fullmatch(between) and (_PLACE_OPENS.match(sentence[:fig.start]) or not sentence[:fig.start].strip()
                                             or sentence[fig.start:fig.end].lower() == "runner-up"):
        return after[0]
    return None


def _compared_paren_year(sentence: str, start: int) -> int | None:
    before = sentence[max(0, start - 70):start]
    m = _COMPARED_PAREN_OPEN.search(before) or _COMPARED_IN_PAREN.search(before)
    return int(m.group(1)) if m else None


_ANNOUNCED_BEFORE = re.compile(r"\b(?:results?|rankings?)\s+(?:were\s+|was\s+)?(?:announced|released|published|unveiled)"
                               r"\s+in\s+$", re.IGNORECASE)
# '100% of administrative procedures': a share of something, not a score
# '65% of firms', '76% said that ...': a survey's share, not a score
_SHARE_AFTER = re.compile(r"^\s*(?:of\s+(?!the\s+(?:maximum|total))|(?:said|say|says|thought|think|believed|believe|agreed|"
                          r"agree|reported|complained|claimed|stated|felt)\b)", re.IGNORECASE)
_OF_RUN = re.compile(r"(?:\s+(?:provinces and cities\s+)?in\s+the\s+[^,;]{3,90}?)?\s*(?:,\s*and|,|and)\s+(?P<num>\d{1,2})\s*/\s*"
                     r"(?P<of>63|34)\b")
_TARGET = re.compile(r"\b(?:aims?|aiming|target|targets|strive|strives|plans? to|expected to|goal)\b", re.IGNORECASE)
_AVERAGE = re.compile(r"\b(?:average|national mean|median)\b", re.IGNORECASE)
_AVERAGE_AFTER = re.compile(r"\s*(?:national|nationwide|country['’]s|provincial)?\s*(?:average|mean|median)\b", re.IGNORECASE)


def _score(token: str) -> float | None:
    token = token.replace(",", ".") if token.count(",") == 1 and "." not in token else token.replace(",", "")
    try:
        value = float(token)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _figures(text: str) -> list[Figure]:
    out: list[Figure] = []
    for m in _SCORE.finditer(text):
        token = next(g for g in m.groups() if g)
        if _NOT_SCORE_BEFORE.search(text[max(0, m.start() - 20):m.start()]) or \
                re.search(r"\d\s*[-–]\s*$", text[max(0, m.start() - 6):m.start()]) or \
                re.search(r"(?:out of|/)\s*$", text[max(0, m.start() - 8):m.start()]):
            continue  # a change, a threshold, or the scale ('86.89/100': 100 is the scale)
        value = _score(token)
        if value is not None:
            unit = "percent" if re.search(r"%|percent|per cent", m.group(0), re.IGNORECASE) else "points"
            out.append(Figure("score", m.start(), m.end(), value, unit=unit))
    for m in _RANK.finditer(text):
        num = m.group(1) or m.group(2) or m.group(3)
        value = int(num) if num else _ORDINAL_WORDS.get((m.group(4) or "").lower())
        # ('In the first quarter of 2023', 'the first six months': a part of a year, no place)
        if not value or re.match(r"\s*(?:consecutive|straight|successive|time|year|quarter|half|months?|weeks?|days?|"
                                 r"phase|stage|round|term|session|two|three|six|nine)\b", text[m.end():m.end() + 14], re.I):
            continue
        if m.group(4) and re.match(r"\s+(?:\w+ed|made|built|held|run|set|begun|began|time)\b|\s+to\s+(?!the\b|its\b)(?-i:[a-z])",
                                   text[m.end():m.end() + 20]):
            continue  # 'PCI was first developed in 2005', 'was the first to open': an ordinal word that qualifies a verb
        if _PAST_BEFORE.search(text[max(0, m.start() - 25):m.start()]):
            continue
        of = _OF.match(text[m.end():m.end() + 30])
        out.append(Figure("rank", m.start(), m.end(), value,
                          rank_of=int(next(g for g in of.groups() if g)) if of else None))
        # 'Binh Duong and Ho Chi Minh City dropped to the 13th and 14th': further places, paired in order below
        pos = m.end()
        while True:
            # ('jumped to 37th position in 2015, 34th in 2016 and 26th in 2017': one place a year)
            dated = re.match(r"(?:\s+(?:place|position|spot))?\s+in\s+(?:(?:19|20)\d{2}\b|the\s+[^,;]{3,70}?)(?=\s*(?:,|and)\s+\d)",
                             text[pos:])
            if dated:
                pos += dated.end()
            nxt = re.match(r"\s*(?:,\s*and|,|and)\s+(?:the\s+)?(?:(\d{1,2})(?:st|nd|rd|th\b|\s*/\s*(?:63|34)\b)|"
                           rf"({'|'.join(_ORDINAL_WORDS)})\b)", text[pos:], re.IGNORECASE)
            if not nxt:
                break
            g = 1 if nxt.group(1) else 2  # 'placed fourth and fifth'
            out.append(Figure("rank", pos + nxt.start(g), pos + nxt.end(), int(nxt.group(1)) if g == 1
                              else _ORDINAL_WORDS[nxt.group(2).lower()], bare=True))
            pos += nxt.end()
    for m in _LEFT_AT.finditer(text):
        a = m.start(1) if m.group(1) else m.start(2)
        if not any(f.start <= a < f.end for f in out):
            value = int(m.group(1)) if m.group(1) else _ORDINAL_WORDS[m.group(2).lower()]
            of = _OF.match(text[m.end():m.end() + 30])
            out.append(Figure("rank", a, m.end(), value, rank_of=int(next(g for g in of.groups() if g)) if of else None))
    for m in _PLACE_WENT.finditer(text):
        # 'Second place went to Hai Phong ..., and third to Dong Thap': the place, then its holder
        if not any(f.start <= m.start("ord") < f.end for f in out):
            out.append(Figure("rank", m.start("ord"), m.end(), _ORDINAL_WORDS[m.group("ord").lower()]))
    for m in _RANK_OUT_OF.finditer(text):
        # 'ranking 41 out of 63 provinces': a bare number, a place only because a count of units follows
        if any(f.start <= m.start(1) < f.end for f in out) or _PAST_BEFORE.search(text[max(0, m.start() - 25):m.start()]):
            continue
        of = _OF.match(text[m.end():m.end() + 30])
        out.append(Figure("rank", m.start(), m.end(), int(m.group(1)),
                          rank_of=int(next(g for g in of.groups() if g)) if of else None))
    taken = [(f.start, f.end) for f in out]
    for rx, value in ((_FIRST, 1), (_SECOND, 2), (_LAST, -1)):
        for m in rx.finditer(text):
            if not any(a <= m.start() < b for a, b in taken) \
                    and not _PAST_BEFORE.search(text[max(0, m.start() - 25):m.start()]) \
                    and not _NEGATED_BEFORE.search(text[max(0, m.start() - 70):m.start()]) \
                    and not (value == 1 and _TOP_GROUP_BEFORE.search(text[max(0, m.start() - 80):m.start()])):
                of = _OF.match(text[m.end():m.end() + 30])
                out.append(Figure("rank", m.start(), m.end(), value,
                                  rank_of=int(next(g for g in of.groups() if g)) if of else None, bare=True))
    for m in _POSITION.finditer(text):
        num, of = (m.group("num"), m.group("of")) if m.group("num") else (m.group("num2"), m.group("of2")) \
            if m.group("num2") else (m.group("num3"), None)
        kind = "prior" if (m.group("dir") or "").lower() == "from" or m.group("num3") else "rank"
        if not any(f.kind == "rank" and f.start <= m.start() < f.end for f in out):
            out.append(Figure(kind, m.start(), m.end(), int(num), rank_of=int(of) if of else None))
    for f in [f for f in out if f.kind == "rank" and f.rank_of in (63, 34)]:
        # 'ranked 63/63 in the administrative reform index, 57/63 in the people's satisfaction index and 51/63 in ...'
        pos = f.end
        while True:
            nxt = _OF_RUN.match(text, pos)
            if not nxt:
                break
            out.append(Figure("rank", nxt.start("num"), nxt.end(), int(nxt.group("num")), rank_of=int(nxt.group("of"))))
            pos = nxt.end()
    for rx in (_CHANGE, _CHANGE_THAN, _CHANGE_OF, _CHANGE_AFTER):
        for m in rx.finditer(text):
            num = m.group("num").lower()
            n = int(num) if num.isdigit() else _NUMBER_WORDS.get(num)
            if n:
                out.append(Figure("change", m.start(), m.end(), -n if _DOWN.fullmatch(m.group("dir").lower()) else n))
    for m in _PAREN_PLACE.finditer(text):
        # 'Da Nang (47/63, 83%), Can Tho (38/63, 84%)': a place out of all and a score in a unit's parenthesis
        if not any(f.start <= m.start("n") < f.end for f in out):
            out.append(Figure("rank", m.start("n"), m.end("of"), int(m.group("n")), rank_of=int(m.group("of"))))
    for m in _FROM_IN_TO.finditer(text):
        # 'moving from 48th in 2019 to 44th among the 63 provinces': the place moved from (dated) and the one reached
        if not any(f.start <= m.start("b") < f.end for f in out):
            of = _OF.match(text[m.end():m.end() + 30])
            out.append(Figure("rank", m.start("b"), m.end(), int(m.group("b")),
                              rank_of=int(next(g for g in of.groups() if g)) if of else None))
        out.append(Figure("prior", m.start(), m.end("a"), int(m.group("a")), prior_years=(int(m.group("y")),)))
    for m in _PRIOR_FROM.finditer(text):  # 'ranking seventh, up from 17th last year'
        dated = re.match(r"\s+in ((?:19|20)\d{2})\b", text[m.end():])
        out.append(Figure("prior", m.start(), m.end(), int(m.group(1)),
                          prior_years=(int(dated.group(1)),) if dated else ()))
    for m in _FROM_NUMBER.finditer(text):
        # 'a strong rise from number eight to number three', 'a big jump to fourth position from number 15 a year earlier'
        a = _number(m.group("a"))
        if a and not any(f.start <= m.start("a") < f.end for f in out):
            out.append(Figure("prior", m.start(), m.end("a"), a))
        b = _number(m.group("b")) if m.group("b") else None
        if b and not any(f.kind == "rank" and f.start <= m.start("b") < f.end + 1 for f in out):
            out.append(Figure("rank", m.start("b"), m.end("b"), b))
    for m in _PAREN_MOVE.finditer(text):  # 'An Giang jumped from the 34th position to the 9th, Ninh Binh (42 to 18)'
        a, b = int(m.group(1)), int(m.group(2))
        if a != b and 0 < a <= 63 and 0 < b <= 63:
            out.append(Figure("prior", m.start(1), m.end(1), a))
            out.append(Figure("rank", m.start(2), m.end(2), b))
    for m in _HOLD.finditer(text):
        # (measured from either end: 'For the fourth year in a row, the State Bank of Vietnam (SBV) has ranked first')
        if any(f.kind == "rank" and min(abs(f.start - m.start()), abs(f.start - m.end())) < 60 for f in out):
            out.append(Figure("hold", m.start(), m.end(), 0))
    out.sort(key=lambda f: f.start)
    return out


_YEAR_WITH_INDEX_AFTER = re.compile(r"\s*(?:\([A-Za-z ]{2,12}\)\s*)?(?:for|of|in)?\s*$")


def _span_governs(sentence: str, fig: Figure) -> bool:
    """A span of years ('during 2013-2021') before the figure, or after it in the same clause: the figure is no
    one year's (a span after a comma is another clause's: '..., which meets the goal for the 2020-2025 term')."""
    return any(sp.end() <= fig.start or not re.search(r"[,;]", sentence[fig.end:sp.start()])
               for sp in _SPAN.finditer(sentence))


def _own_place_follows(unit: Mention, figures: list[Figure]) -> bool:
    """A place right after the unit's name ('Da Nang (47/63, 83%)'): the unit's own, not one by order."""
    return any(f.kind == "rank" and 0 <= f.start - unit.end <= 4 for f in figures)


def _index_years(text: str, indices: list[tuple[int, str]], years: list[tuple[int, int]]) -> dict[str, set[int]]:
    """The years each index is named with in a sentence: 'the PCI for 2022', 'PCI 2022', 'the 2022 PCI',
    'the Provincial Competitiveness Index (PCI) for 2022'."""
    out: dict[str, set[int]] = {}
    for p, code in indices:
        m = INDEX_EN[code].match(text, p)
        end = m.end() if m else p
        for q, y in years:
            if q >= end and q - end <= 20 and _YEAR_WITH_INDEX_AFTER.fullmatch(text[end:q]) \
                    or q < p and p - q <= 6 and not text[q + 4:p].strip():
                out.setdefault(code, set()).add(y)
    return out


def _indices(text: str) -> list[tuple[int, str]]:
    return sorted((m.start(), code) for code, rx in INDEX_EN.items() for m in rx.finditer(text))


# 'on May 10, 2022', '10 May 2022', 'May 2022': a day or month of an event, not the year an index measures
_DATED = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                    r"(?:\s+\d{1,2})?,?\s*$|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|"
                    r"September|October|November|December),?\s*$")
# 'hosted by UNDP in Hanoi on May 10': where an event took place, not a unit ranked
_VENUE_BEFORE = re.compile(r"\b(?:in|at)\s+$")
_VENUE_AFTER = re.compile(r"^\s*,?\s*on\s+(?:\w+\s+)?\d|^\s*,?\s*on\s+(?:January|February|March|April|May|June|July|"
                          r"August|September|October|November|December)")
# sub-indices and components: their scores and ranks are not the index's
_COMPONENT = re.compile(r"\bsub-ind(?:ex|ices|exes)\b|\bcomponent(?:s)?\b|\bcriteria\b|\bpillars?\b|"
                        # the PCI's components by name ('the time requirements ... increased by 0.22 points, an
                        # increase of 15 places')
                        r"\b(?:time (?:requirements|costs)|informal (?:charges|costs)|entry costs|land access|"
                        r"business support services|labou?r training|legal institutions|equal competition|"
                        r"policy bias|proactivity)\b", re.IGNORECASE)


# other rankings ('in terms of DTI, it ranked fourth'): a sentence that names one and none of the five is about it
_OTHER_RANKING = re.compile(r"\b(?:DTI|Digital Transformation Index|digital transformation|ICT[- ]Index|GRDP|FDI|"
                            r"Index Set 766|serving (?:people|citizens) and businesses|PEPI|PII|Innovation Index|DDCI|"
                            r"Happiness Index|Logistics)\b", re.IGNORECASE)


_THE_MINISTRY = re.compile(r"\b(?:[Tt]he|[Tt]his|[Ii]ts) ministry\b")
_THE_UNIT = re.compile(r"\s*(?:The|This|Our) (?:province|city|locality|municipality)\b")
_GLUED = re.compile(r"(?<=[a-z0-9)])\.(?=[A-Z][a-z]+\b)")
_GLUED_ORDINAL = re.compile(r"\b(\d{1,2}(?:st|nd|rd|th))(?=out of\b)")


def _years(text: str) -> list[tuple[int, int]]:
    # 'the results announced in 2024': the year of the announcement, so the results are the year before's
    # (the years of a span, 'the 2020-2025 term', date no result)
    spans = [(sp.start(), sp.end()) for sp in _SPAN.finditer(text)] if "-" in text or "–" in text else []
    return [(m.start(), int(m.group(1)) - (1 if _ANNOUNCED_BEFORE.search(text[max(0, m.start() - 30):m.start()]) else 0))
            for m in _YEAR.finditer(text)
            if not any(a <= m.start() < b for a, b in spans)
            if not _COMPARE.search(text[max(0, m.start() - 25):m.start()])
            and not _DATED.search(text[max(0, m.start() - 25):m.start()])
            and not _COMPARED_YEAR_BEFORE.search(text[max(0, m.start() - 60):m.start()])]


_RUN_GAP = re.compile(r"\s*(?:,\s*and|,|and)\s+(?:the\s+)?")
_UNIT_GAP = re.compile(r"\s*(?:province|city)?\s*(?:,\s*and|,|and)\s*")


def _respectively(sentence: str, units: list[Mention], figures: list[Figure]) -> tuple[dict[int, Mention], set[int]]:
    """'Binh Duong province and Ho Chi Minh City dropped to the 13th and 14th': places listed together go to the
    units listed together before them, in order; when the counts differ, to none of them."""
    ranks = sorted((f for f in figures if f.kind == "rank" and isinstance(f.value, int) and f.value > 0),
                   key=lambda f: f.start)
    paired: dict[int, Mention] = {}
    dropped: set[int] = set()
    i = 0
    while i < len(ranks):
        run = [ranks[i]]
        while i + len(run) < len(ranks) and _RUN_GAP.fullmatch(sentence[run[-1].end:ranks[i + len(run)].start]):
            run.append(ranks[i + len(run)])
        i += len(run)
        if len(run) < 2:
            continue
        before = [u for u in units if u.end <= run[0].start]
        listed = before[-1:]
        for u in reversed(before[:-1]):
            if not _UNIT_GAP.fullmatch(sentence[u.end:listed[0].start]):
                break
            listed.insert(0, u)
        if len(listed) == len(run):
            paired.update({f.start: u for f, u in zip(run, listed)})
        else:
            dropped.update(f.start for f in run)
    return paired, dropped


def extract_english(blocks: list[str], ctx: Context) -> list[Fact]:
    """Index facts from English paragraphs; ctx gives the article's unit, index and year."""
    facts: list[Fact] = []
    # 'the ministry received 79.21 points': the one ministry the headline and lead name, if only one
    lead_ministries = {u.name: u for b in blocks[:3] for u in find_units(b) if u.kind == "ministry"}
    lead_ministry = next(iter(lead_ministries.values())) if len(lead_ministries) == 1 else None
    # 'The Bac Giang Department of Home Affairs ...' in the lead, 'the province came 7th' later: where the article
    # names several units, the one unit its headline and lead name, if the article names it more than any other
    primary, primary_src = ctx.primary_unit, ctx.unit_source
    if primary is None:
        lead_units = {u.name: u for b in blocks[:3] for u in find_units(b) if u.kind in ("province", "ministry")}
        if len(lead_units) == 1:
            counts: dict[str, int] = {}
            for b in blocks:
                for u in find_units(b):
                    if u.kind in ("province", "ministry"):
                        counts[u.name] = counts.get(u.name, 0) + 1
            name, lead = next(iter(lead_units.items()))
            if counts.get(name, 0) >= 2 and all(n < counts[name] for o, n in counts.items() if o != name):
                primary, primary_src = lead, "headline"
    para_rank_carry: int | None = None
    for block in blocks:
        para_unit: Mention | None = None
        para_index: str | None = None
        para_year: int | None = None
        # the last place the paragraph gave, for 'X came next' in the sentence after (or opening the next paragraph)
        para_rank, next_para_rank = None, para_rank_carry
        # 'announced on July 31.In the Public ...': captures that lost the space between two sentences
        block = _GLUED.sub(". ", block)
        block = _GLUED_ORDINAL.sub(r"\1 ", block)  # 'ranking 54thout of the 63 provinces'
        for _, sentence in split_sentences(block):
            units = [u for u in find_units(sentence) if u.kind in ("province", "ministry")
                     and not (re.search(r"\bby\s+(?:the\s+)?$", sentence[max(0, u.start - 17):u.start])
                              and not _FOLLOWED_BY_BEFORE.search(sentence[max(0, u.start - 32):u.start]))
                     # 'Hoa Binh city' is the provincial capital (a province's own ranking of its parts), unlike
                     # 'Can Tho city', a centrally-run city
                     and not (u.kind == "province" and u.code not in ("01", "79", "31", "48", "92", "46")
                              and re.match(r"\s+city\b", sentence[u.end:u.end + 6]))
                     and not (_VENUE_BEFORE.search(sentence[max(0, u.start - 4):u.start])
                              and _VENUE_AFTER.match(sentence[u.end:u.end + 30]))]
            indices = _indices(sentence)
            years = _years(sentence)
            if ctx.published_year and _LAST_YEAR_OPENS.match(sentence):
                # 'Last year, Hanoi scored 85.15% …': a sentence opening on last year speaks of the year before the
                # article's (a 'last year' later in a sentence is a move's starting point: 'up from 17th last year')
                years = [(0, ctx.published_year - 1)] + years
            figures = _figures(sentence)
            index_years = _index_years(sentence, indices, years)
            compared_to = sorted({int(m.group(1) or m.group(2)) for m in _COMPARED_TO_YEAR.finditer(sentence)})
            compared_to = compared_to if len(compared_to) == 1 else []
            for u in units:  # 'Thua Thien-Hue third with 88.47 per cent': an ordinal right after the unit
                m = _ORD_AFTER_UNIT.match(sentence, u.end)
                if m and not any(f.kind == "rank" and f.start <= m.start(1) < f.end + 1 for f in figures):
                    value = int(m.group(2)) if m.group(2) else _ORDINAL_WORDS[m.group(3).lower()]
                    figures.append(Figure("rank", m.start(1), m.end(1), value))
            figures.sort(key=lambda f: f.start)
            found: dict[tuple, Fact] = {}
            anchor = max((f.value for f in figures if f.kind == "rank" and isinstance(f.value, int) and f.value > 0),
                         default=None)
            order_units: dict[int, int] = {}
            if para_rank is None and next_para_rank is not None:
                para_rank = next_para_rank  # (the paragraph before's last place, for its first sentence only)
            next_para_rank = None
            if para_rank is not None and units and not sentence[:units[0].start].strip() \
                    and _CAME_NEXT.match(sentence, units[0].end):
                # 'Da Nang continued as the best performer ... Dong Thap came next (65.28 points), then Lao Cai
                # (64.67 points).': the places after the one the sentence before gave, in the order named
                order_units[units[0].start] = para_rank + 1
                prev = units[0]
                for u in units[1:]:
                    if not _THEN_NEXT.fullmatch(sentence, prev.end, u.start):
                        break
                    order_units[u.start] = order_units[prev.start] + 1
                    prev = u
            for m in _FOLLOWED.finditer(sentence):
                if anchor is None:
                    break
                # (not a unit with its own place in a parenthesis: 'came ahead of Da Nang (47/63, 83%)')
                listed = [u for u in units if u.start >= m.end() and not _own_place_follows(u, figures)]
                run = []
                for u in listed:
                    gap = sentence[(run[-1].end if run else m.end()):u.start]
                    if run and not re.fullmatch(r"\s*(?:\([^()]*\))?\s*(?:with [\d.,]+ points?\s*)?(?:,|and|, and)\s*(?:the\s+)?", gap):
                        break
                    if not run and gap.strip():
                        break
                    run.append(u)
                for k, u in enumerate(run, 1):
                    order_units[u.start] = anchor + k
            for m in _TOP_N_RESPECTIVELY.finditer(sentence):
                # 'Tra Vinh, Lang Son and Bac Ninh respectively secured Top 3 places': the places in the order listed
                n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS.get(m.group(1).lower())
                before = [u for u in units if u.end <= m.start()]
                listed = before[-1:]
                for u in reversed(before[:-1]):
                    if not _UNIT_GAP.fullmatch(sentence[u.end:listed[0].start]):
                        break
                    listed.insert(0, u)
                if listed and n == len(listed) and not sentence[listed[-1].end:m.start()].strip(" ,"):
                    for k, u in enumerate(listed, 1):
                        order_units.setdefault(u.start, k)
            for m in _PLACES_WENT_TO.finditer(sentence):
                # 'second and third place went to northern Lao Cai province and southern Dong Thap province'
                places = [_ORDINAL_WORDS.get(w.lower()) or int(re.sub(r"\D", "", w)) for w in (m.group(1), m.group(2))]
                listed = [u for u in units if u.start >= m.end() and not _own_place_follows(u, figures)][:2]
                if len(listed) == 2 and re.fullmatch(r"\s*(?:\w+\s+)?(?:province|city)?\s*(?:and|, and)\s*(?:the\s+)?(?:\w+\s+)?",
                                                     sentence[listed[0].end:listed[1].start]) \
                        and re.fullmatch(r"\s*(?:the\s+)?(?:\w+\s+)?", sentence[m.end():listed[0].start]):
                    for u, k in zip(listed, places):
                        order_units.setdefault(u.start, k)
            for u in units:  # 'the province with the highest score was Quang Ninh': first place
                if _HIGHEST_WAS.search(sentence[max(0, u.start - 60):u.start]):
                    order_units.setdefault(u.start, 1)
            for u_start, value in order_units.items():
                figures.append(Figure("rank", u_start, u_start, value))
            paired, dropped = _respectively(sentence, units, figures)
            # 'Quang Ninh and the State Bank of Vietnam led the PAR Index 2018': a province and a ministry named
            # together before a first place each lead their own kind
            kinds_lead: dict[int, list[Mention]] = {}
            for fig in figures:
                ahead = [u for u in units if u.end <= fig.start]
                if fig.kind == "rank" and fig.value == 1 and fig.bare and len(ahead) >= 2 \
                        and {ahead[-2].kind, ahead[-1].kind} == {"province", "ministry"} \
                        and re.fullmatch(r"\s*(?:province|city)?\s*(?:and|,|, and)\s*(?:the\s+)?", sentence[ahead[-2].end:ahead[-1].start]) \
                        and re.fullmatch(r"\s*(?:of Vietnam\s+|\([A-Z]{2,6}\)\s+)?(?:(?:have|has|both|jointly|respectively|again|also)\s+)*",
                                         sentence[ahead[-1].end:fig.start]) \
                        and not (len(ahead) > 2 and re.fullmatch(r"\s*(?:province|city)?\s*,\s*", sentence[ahead[-3].end:ahead[-2].start])):
                    kinds_lead[fig.start] = [ahead[-2], ahead[-1]]
            if _INTERNAL.search(_DEPARTMENT_AS_SOURCE.sub(" ", sentence)) or _COMPONENT.search(sentence) or (not indices and _OTHER_RANKING.search(sentence)):
                figures = []  # an internal ranking or a component's figures: nothing here is the index's result
            regional: list[int] = []
            for fig in figures:
                if any(0 <= fig.start - t.start() < 120 for t in _TARGET.finditer(sentence)):
                    continue
                if fig.kind == "score" and (any(a.start() < fig.start for a in _AVERAGE.finditer(sentence))
                                            or _AVERAGE_AFTER.match(sentence, fig.end)):
                    # ('well above the 80.1 per cent national average')
                    continue
                if fig.kind == "score" and (_NOT_INDEX_SCORE.search(sentence[max(0, fig.start - 60):fig.start])
                                            or _SHARE_AFTER.match(sentence[fig.end:fig.end + 20])):
                    continue
                if fig.kind in ("change", "hold") and any(
                        int(m.group(2)) - int(m.group(1)) > 1 for m in _MULTI_YEAR_MOVE.finditer(sentence)):
                    continue  # a sentence about a move over several years: no change is the year's
                if fig.kind == "hold" and _PAST_WORD.search(sentence[max(0, fig.start - 80):fig.start]):
                    continue  # 'previously ranked the first ... for three consecutive years': what was
                if fig.kind == "score" and not indices and re.search(r"satisf|surveyed|respondents", sentence):
                    continue  # '87.43 percent of the people surveyed were satisfied': a survey share, no index named
                # (not where the holder comes next: 'third to Dong Thap in the Mekong Delta' says where it lies)
                if fig.kind == "rank" and not _went_to(sentence, fig) and (
                        fig.rank_of not in (63, 34) and _REGIONAL.match(sentence[fig.end:fig.end + 60])
                        or _REGION_AFTER_OF.match(sentence[fig.end:fig.end + 90])):
                    regional.append(fig.start)
                    continue
                if fig.kind == "change" and regional and max(
                        (g.start for g in figures if g.kind == "rank" and g.start < fig.start), default=-1) in regional:
                    continue  # 'ranking No. 13 among Mekong Delta provinces, down one place': the region's move
                if fig.start in dropped:
                    continue
                if fig.kind in ("rank", "hold") and not years and _YEARS_RUN.search(sentence):
                    continue  # 'For eight consecutive years, the province remained at the bottom': no one year's place
                ahead = [u for u in units if u.end <= fig.start]
                if fig.kind in ("prior", "rank", "change", "hold") and fig.start not in paired \
                        and fig.start not in order_units and fig.start not in kinds_lead and len(ahead) > 1 \
                        and re.fullmatch(r"\s*(?:province|city)?\s*(?:and|,)\s*", sentence[ahead[-2].end:ahead[-1].start]):
                    continue  # 'Hanoi and Ho Chi Minh City ..., falling from 27th place last year to 31st': whose is unsaid
                if fig.start in kinds_lead:
                    unit, unit_src = kinds_lead[fig.start][0], "clause"
                elif fig.start in paired:
                    unit, unit_src = paired[fig.start], "clause"
                elif fig.kind == "rank" and (holder := _holder_after(sentence, fig, units)) is not None:
                    unit, unit_src = holder, "clause"  # 'ranked second was Tay Ninh province', 'Ranking 6th, Hue ...'
                elif fig.start in order_units:
                    unit = next(u for u in units if u.start == fig.start)
                    unit_src = "clause"
                elif fig.kind == "score" and (opener := _WITH_SCORE_OPENS.match(sentence)) and opener.end() > fig.start \
                        and any(u.start == opener.end() for u in units):
                    # 'With 62.72 points, Ho Chi Minh City joined the five best ...': the unit the opening phrase leads to
                    unit, unit_src = next(u for u in units if u.start == opener.end()), "clause"
                else:
                    before = [u for u in units if u.start < fig.start]
                    if before:
                        unit, unit_src = before[-1], "sentence"
                    elif len({u.name for u in units}) == 1 and fig.kind in ("score", "hold"):
                        # ('For the fourth year in a row, the State Bank ... has ranked first': a hold opening the
                        # sentence is its one unit's)
                        unit, unit_src = units[0], "sentence"
                    elif not units and lead_ministry is not None and _THE_MINISTRY.search(sentence, 0, fig.start):
                        unit, unit_src = lead_ministry, "headline"  # named in the headline or lead
                    elif not units and primary is not None and _THE_UNIT.match(sentence):
                        # 'The province has stayed in the 4th place': the article's own unit, not the last one
                        # the paragraph happened to list
                        unit, unit_src = primary, "paragraph"
                    elif not units and para_unit is not None:
                        unit, unit_src = para_unit, "paragraph"
                    elif not units and primary is not None:
                        unit, unit_src = primary, primary_src
                    else:
                        continue
                idx_before = [k for p, k in indices if p < fig.start]
                named_after = [k for p, k in indices if fig.kind == "rank" and fig.end <= p <= fig.end + 75
                               and re.match(r"\s*(?:the (?:country|nation)\s+|nationwide\s+)?(?:provinces and cities\s*)?(?:in|on|for)\s+the\s+[^,;]*$",
                                        sentence[fig.end:p])]  # ('led the country in the PAR Index')
                if named_after:  # 'ranked 63/63 in the administrative reform index, 57/63 in the ... (SIPAS)'
                    index, index_src = named_after[0], "clause"
                elif idx_before:
                    index, index_src = idx_before[-1], "sentence"
                elif indices and len({k for p, k in indices}) == 1:
                    index, index_src = indices[0][1], "sentence"
                elif para_index:
                    index, index_src = para_index, "paragraph"
                elif ctx.index:
                    index, index_src = ctx.index, ctx.index_source
                else:
                    continue
                if fig.kind == "rank" and _NOT_THE_RANKING_AFTER.match(sentence[fig.end:fig.end + 90]):
                    continue
                anaphor = fig.kind == "rank" and fig.bare and index_src not in ("clause", "sentence", "paragraph") \
                    and ctx.index and index == ctx.index and ctx.index_source == "headline" and ctx.year \
                    and _THE_INDEX_AFTER.match(sentence, fig.end)
                if anaphor:
                    index_src = "sentence"  # 'Quang Ninh topped the index': the index the article is about, named again
                if fig.kind == "rank" and fig.bare and index_src not in ("clause", "sentence", "paragraph"):
                    continue  # 'leading', 'topped' with no index in sight ('the leading position ... in foreign
                    # investment attraction') may lead anything
                year_before = [y for p, y in years if p < fig.start]
                year_after = [y for p, y in years if p > fig.start]
                own = [y for p, y in years if fig.end <= p and re.fullmatch(
                    r"\s*(?:in|for)\s+(?:the\s+)?(?:(?:19|20)\d{2}\s*(?:,|and)\s*)*", sentence[fig.end:p])]
                paren = _PAREN_YEAR_AFTER.match(sentence[fig.end:fig.end + 45])
                move = _MOVE_YEARS_AFTER.match(sentence, fig.end) if fig.kind == "change" else None
                compared_paren = _compared_paren_year(sentence, fig.start) if fig.kind in ("rank", "score") else None
                if anaphor and not year_before:  # (and its year: a year later in the sentence is another clause's)
                    year, year_src = ctx.year, "sentence"
                elif compared_paren:
                    year, year_src = compared_paren, "clause"
                elif move and int(move.group(2)) - int(move.group(1)) == 1:
                    # 'dropped 10 places from 10th in 2021 to 20th in the 2022 report': the move is the later year's
                    year, year_src = int(move.group(2)), "clause"
                elif own and fig.kind == "rank":  # 'at No. 4 in 2013 and at No.2 in 2014': the year right after
                    year, year_src = own[0], "clause"
                elif paren and fig.kind in ("rank", "score"):  # 'from 15th position with 60.65 points (in 2016)'
                    year, year_src = int(paren.group(1)), "clause"
                elif len(named_years := index_years.get(index, set())) == 1 \
                        and fig.kind in ("rank", "change", "hold", "prior", "score") and not _span_governs(sentence, fig):
                    # 'Building on the gains it made in 2021, Dak Nong moved up 14 places in the PCI for 2022': the
                    # year the index is named with, over another year the sentence mentions in passing
                    year, year_src = next(iter(named_years)), "clause"
                elif fig.kind in ("rank", "change", "hold") and _span_governs(sentence, fig):
                    continue  # 'the 38th, 43rd and 52nd positions during 2013-2021': no one year's place
                elif year_before:
                    year, year_src = year_before[-1], "sentence"
                elif year_after and fig.start not in order_units:
                    # (not for a place by order: in 'followed by Hanoi, which rose from third in 2016' the year is
                    # the move's)
                    year, year_src = year_after[0], "sentence"
                elif compared_to and any(f.kind == "change" for f in figures):
                    # 'ranked 44th ..., moving up 14 places as compared to 2021': a year-on-year move from 2021 is 2022's
                    year, year_src = compared_to[0] + 1, "sentence"
                elif para_year:
                    year, year_src = para_year, "paragraph"
                elif ctx.year:
                    year, year_src = ctx.year, ctx.year_source
                else:
                    continue
                if fig.kind in ("change", "prior", "hold") and compared_to and compared_to[0] != year - 1:
                    continue  # 'ranked 10th in 2023, up 3 places compared to 2020': no year-over-year move
                if weakest(unit_src, index_src, year_src) not in ("clause", "sentence", "paragraph", "headline"):
                    continue  # English text is read only as far as its own sentences and paragraphs say it
                for u in kinds_lead.get(fig.start) or [unit]:
                    fact = _fact_for(found, u, index, year, "total", sentence)
                    if fact is None:
                        continue
                    fact.attribution = weakest(fact.attribution, unit_src, index_src, year_src) if fact.attribution \
                        else weakest(unit_src, index_src, year_src)
                    _apply(fact, fig, year)
                    if fig.kind == "prior" and fig.prior_years == (year - 1,):
                        # 'down from 41st in 2012': the place moved from, dated, is that year's own
                        before = _fact_for(found, u, index, year - 1, "total", sentence)
                        if before is not None:
                            before.attribution = fact.attribution
                            _apply(before, Figure("rank", fig.start, fig.end, fig.value), year - 1)
            facts.extend(found.values())
            para_unit = units[0] if units else para_unit  # the subject comes first: "Da Nang came after Quang Ninh, ..."
            para_index = indices[-1][1] if indices else para_index
            para_year = years[0][1] if years else para_year
            ranks = [f.rank for f in found.values() if f.rank is not None]
            para_rank = max(ranks) if ranks and len({(f.index, f.index_year) for f in found.values()}) == 1 else None
        para_rank_carry = para_rank
    return facts


def english_defaults(texts: list[str]) -> tuple[str | None, int | None, bool]:
    """The index and year an English article is about: the first index named with a year next to it ('PAR INDEX
    2012', 'the 2024 Provincial Competitiveness Index'), and whether the headline or the lead names them (then
    they hold for the whole article as a headline's would)."""
    index = None
    n = -1
    for i, text in enumerate(texts):
        if i == 0 or len(text) > 60:
            n += 1  # (datelines and bylines between the headline and the lead do not count)
        for p, code in _indices(text):
            index = index or code
            near = [y for q, y in _years(text) if -30 <= q - p <= 50]
            if near:
                # the headline and the lead; or the paragraph after the lead when its year is the latest the
                # article names ('... ranked first in the administrative reform index.' then 'The result was
                # presented at a conference that released the PAR INDEX 2018'), as the Vietnamese reader takes a
                # later paragraph's year
                latest = max((y for t in texts for q, y in _years(t)), default=near[0])
                return code, near[0], n < 2 or (n == 2 and near[0] == latest)
    return index, None, False
