"""Reform activity figures: dossiers, on-time rates, staff cuts, legal documents, online services, e-office,
mailboxes, certificates, inspections; each with the period it counts over and the body that reports it.

A figure takes, like an index figure, what governs it: the nearest period phrase before it in its sentence
(periods.py), else the paragraph's, the lead's or the article's; the nearest level or reporting body before it in
its clause ('cấp huyện', 'Trung tâm Phục vụ hành chính công'), else the paragraph's, else the province as a whole;
the province named in the sentence, else the paragraph's, else the site's. Shares that are not these metrics
(overdue, online, returned), plans and targets, totals over several years and one department's counts are left
out, as is a figure whose period is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from paretl.extract import patterns as P
from paretl.extract import periods as PD
from paretl.extract.numbers import MalformedNumber, parse_decimal, parse_int
from paretl.extract.units import Mention, find_units

N = r"(\d[\d.,]*\d|\d)"
_ON_TIME = r"(?:đúng và trước hạn|trước và đúng hạn|trước hạn và đúng hạn|đúng hạn và trước hạn|đúng hạn|" \
           r"đúng và sớm hạn|sớm và đúng hạn|sớm hạn và đúng hạn|đúng hạn và sớm hạn|" \
           r"đúng và trước hẹn|trước và đúng hẹn|đúng hẹn|đúng thời gian(?: quy định)?|đúng thời hạn)"

# A thousands dot inside a count ('5.243 hồ sơ') does not end the sentence a rate pattern spans.
_THOUSANDS = r"(?<=\d)\.(?=\d)"


@dataclass
class Activity:
    metric: str
    value: float
    unit: str
    level: str | None
    evidence: str
    total: float | None = None
    period: str | None = None
    reporter: str | None = None
    start: int = 0


# (metric, counted unit, pattern); the first group is the value, an optional second a total.
_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("dossiers_received", "dossiers",
     # 'tổng số hồ sơ tiếp nhận toàn thành phố 765.619 hồ sơ' (not 'hơn 932.000': a rounding, often of a figure the body gives)
     re.compile(rf"(?:^T|(?<!\w)t)iếp nhận(?:,?\s*(?:và\s+)?(?:giải quyết|xử lý))?\s+(?:mới\s+)?(?:tổng số\s+|tổng cộng\s+|được\s+|trên\s+)?"
                rf"{N}\s+hồ sơ|hồ sơ (?:mới\s+)?(?:được\s+)?tiếp nhận(?: (?:là|đạt)\s+|\s*:\s*){N}"
                rf"|tổng số hồ sơ (?:đã\s+)?tiếp nhận (?:(?:trên địa bàn|toàn|của)\s+(?:tỉnh|thành phố)\s+|trong kỳ\s+"
                rf"|(?:tại|ở)\s+[^\d.;,]{{3,60}}?\s+(?=là\s))?(?:là\s+)?{N}"
                # 'có 120.500 hồ sơ được tiếp nhận'
                # (not 'Hơn 1.650 hồ sơ được tiếp nhận': a headline's rounding)
                rf"|(?<![\d.,])(?<![Hh]ơn )(?<![Gg]ần )(?<![Tt]rên )(?<![Kk]hoảng )(?:có\s+)?{N}\s+hồ sơ (?:đã\s+)?được tiếp nhận(?!\s+(?:trực tuyến|qua|và giải quyết trực tuyến))"
                # 'gồm: 7.865 hồ sơ tiếp nhận mới (...); 1.641 hồ sơ từ kỳ trước chuyển qua': the period's own
                rf"|(?<![\d.,])(?<![Hh]ơn )(?<![Gg]ần )(?<![Tt]rên )(?<![Kk]hoảng ){N}\s+hồ sơ (?:được\s+)?tiếp nhận mới"
                # 'Trung tâm nhận vào 1.073 hồ sơ', 'đã nhận 25.706 hồ sơ': 'nhận' alone, with a count of dossiers
                rf"|(?<!\w)(?<!tiếp )(?<!thu )(?:đã\s+)?nhận(?:\s+(?:vào|mới|được))?\s+(?:tổng cộng\s+|tổng số\s+)?{N}\s+hồ sơ"
                # '; trong đó 115.865 hồ sơ mới tiếp nhận': the new ones, apart from those carried over
                rf"|(?<![\d.,])(?<![Hh]ơn )(?<![Gg]ần )(?<![Tt]rên )(?<![Kk]hoảng ){N}\s+hồ sơ mới (?:được\s+)?tiếp nhận"
                # 'số hồ sơ Trung tâm nhận mới là 5.409', 'số hồ sơ các cơ quan tiếp nhận là 411.177', 'số mới tiếp
                # nhận là 252.947 hồ sơ': the count named, then 'là'
                rf"|(?<!\w)[Ss]ố (?:hồ sơ\s+)?(?:[^\d.;,()]{{0,60}}?\s)?(?:mới\s+)?(?:tiếp nhận|nhận)(?:\s+mới)?\s+là\s+{N}(?!\s*%)")),
    ("dossiers_resolved", "dossiers",
     # (not 'Đang giải quyết 3.150 hồ sơ', 'chưa giải quyết': in hand, not resolved)
     re.compile(rf"(?<!tiếp nhận, )(?<!tiếp nhận và )(?<!tiếp nhận )(?<![Đđ]ang )(?<![Cc]hưa )(?<![Cc]òn )"
                # ('xử lý xong 12.085 hồ sơ': done with, as resolved; not 'đang xử lý')
                rf"(?:đã\s+)?(?:giải quyết|xử lý(?=\s+xong))\s+(?:được\s+)?(?:xong\s+)?"
                rf"(?:và trả kết quả\s+)?"
                rf"(?:tổng số\s+)?{N}\s+(?:hồ sơ|thủ tục|TTHC)"
                rf"|hồ sơ (?:đã\s+)?(?:được\s+)?giải quyết(?:(?!đúng|trước|quá|trễ|chậm)[^.;,:\d]){{0,25}}?(?:(?:là|đạt)\s+|:\s*){N}"
                rf"(?![\d.,]*\s*%)|đã giải quyết\s+{N}(?![\d.,]?\d)(?![\d.,]*\s*/)(?=[,;.]|\s+\()"
                rf"|(?:đã có\s+)?{N}\s+hồ sơ (?:đã\s+)?được giải quyết(?!\s+(?:đúng|trước|quá|trễ))"
                # 'Trong đó 1.686.294 hồ sơ đã giải quyết, trả kết quả', 'số đã giải quyết là 409.070'
                rf"|(?<![\d.,]){N}\s+hồ sơ đã giải quyết(?!\s+(?:đúng|trước|quá|trễ|xong\s+(?:đúng|trước)))"
                rf"|(?<!\w)[Ss]ố (?:hồ sơ\s+)?đã (?:được\s+)?giải quyết(?: xong)?\s+là\s+{N}(?!\s*%)"
                # '...; trả kết quả 85.001 hồ sơ, trong đó trước hạn ...': the results returned are the ones resolved
                rf"|(?<!tiếp nhận và )(?<!tiếp nhận, )(?:đã\s+)?trả kết quả\s+{N}\s+hồ sơ(?!\s+(?:đúng|trước|quá|trễ|qua|trực tuyến))")),
    ("on_time_rate", "percent",
     # ('Tỷ lệ trả đúng và trước hạn lên tới 99,81%', '..., tương ứng 99,63%')
     re.compile(rf"{_ON_TIME}(?:[^.;%]|{_THOUSANDS}){{0,40}}?(?:đạt|là|chiếm|với|lên tới|lên đến|tương ứng|ở mức|tức(?: là)?)\s+(?:tỷ lệ\s+|tỉ lệ\s+)?{N}\s*%"
                # 'số hồ sơ giải quyết đúng hạn là 899.364 trên tổng 901.402 hồ sơ tiếp nhận, tức tỷ lệ 99,77%': the
                # rate after the two counts it is the share of
                rf"|{_ON_TIME}\s+(?:là\s+)?\d[\d.,]*\s+(?:trên|/)\s*(?:tổng\s+(?:số\s+)?)?\d[\d.,]*\s+hồ sơ[^.;%\d]{{0,30}}?"
                rf"(?:tức(?: là)?|tương đương|tương ứng|bằng|đạt)\s+(?:tỷ lệ\s+|tỉ lệ\s+)?{N}\s*%"
                # 'Tỷ lệ giải quyết hồ sơ TTHC đúng hạn của khối cơ quan chuyên môn cấp tỉnh, UBND cấp huyện, UBND cấp
                # xã đạt 99,37%': the rate as the sentence's subject, whoever's it is named before the verb
                rf"|^t[ỷỉ] lệ (?:giải quyết\s+)?(?:hồ sơ\s+)?(?:thủ tục hành chính\s+|TTHC\s+)?(?:\(TTHC\)\s+)?"
                rf"(?:giải quyết\s+)?{_ON_TIME}[^.;%\d]{{0,90}}?(?:đạt|là)\s+{N}\s*%"
                rf"|{N}\s*%\s*(?:hồ sơ\s+)?(?:TTHC\s+|thủ tục hành chính\s+)?(?:được\s+)?(?:giải quyết\s+)?(?:(?:và\s+)?trả kết quả\s+)?{_ON_TIME}"
                rf"|{_ON_TIME}(?:[^.;%()]|{_THOUSANDS}){{0,30}}\(\s*(?:đạt\s+|chiếm\s+)?(?:tỷ lệ\s+|tỉ lệ\s+)?{N}\s*%"
                rf"|[Tt][ỷỉ] lệ (?:hồ sơ\s+)?(?:giải quyết\s+)?{_ON_TIME}[^.;%()]{{0,25}}?(?:đạt|là|:)?\s*{N}\s*%"
                # 'giải quyết đúng hạn 99,2%': the rate right after the words, no verb between
                rf"|(?:giải quyết|trả kết quả)\s+{_ON_TIME}\s+{N}\s*%"
                # 'đã giải quyết 1.201.000 hồ sơ, đúng hạn 97,8%': the rate right after the count it is a share of
                rf"|(?:hồ sơ|TTHC),\s+{_ON_TIME}\s+{N}\s*%")),
    ("staff_reduction", "people",
     re.compile(rf"tinh giản\s+(?:biên chế\s+)?(?:đối với\s+|được\s+|cho\s+)?{N}\s+(?:người|biên chế|trường hợp|đối tượng)"
                # 'đã có quyết định phê duyệt nghỉ hưu trước tuổi, nghỉ thôi việc ... đối với 2.968 trường hợp'
                rf"|phê duyệt (?:cho )?nghỉ hưu trước tuổi[^.;\d]{{0,90}}?(?:đối với|cho)\s+{N}\s+(?:trường hợp|người|cán bộ)")),
    ("legal_documents", "documents",
     re.compile(rf"ban hành\s+(?:được\s+)?{N}\s+(?:văn bản|quyết định|nghị quyết)\s+(?:quy phạm pháp luật|QPPL)"
                # 'Số văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành trong năm là 85 văn bản'
                rf"|[Ss]ố văn bản (?:quy phạm pháp luật|QPPL)[^.;\d]{{0,60}}?ban hành[^.;\d]{{0,30}}?(?:là|:)\s+{N}\s+văn bản")),
    ("online_services", "services",
     re.compile(rf"(?:cung cấp|có|triển khai)\s+{N}\s+dịch vụ công\s+(?:\(DVC\)\s+)?(?:trực tuyến|mức độ (?:3|4))")),
    ("e_office_units", "communes",
     re.compile(rf"(?:[Vv]ăn phòng điện tử|quản lý văn bản và điều hành)[^.;]{{0,160}}?(?:đến|tới|tại|cho|ở)\s+"
                rf"{N}\s*/\s*{N}\s+xã")),
    ("e_office_units", "communes",
     re.compile(rf"(?<![\d/]){N}\s*/\s*{N}\s+xã, phường, thị trấn[^.;]{{0,30}}?(?:triển khai|sử dụng|ứng dụng)"
                rf"[^.;]{{0,40}}?(?:[Vv]ăn phòng điện tử|quản lý văn bản và điều hành)")),
    ("mailboxes", "mailboxes", re.compile(rf"{N}\s+hộp thư điện tử")),
    ("digital_certificates", "certificates", re.compile(rf"{N}\s+chứng thư số")),
    ("inspections", "agencies",
     re.compile(rf"[Kk]iểm tra[^.;]{{0,120}}?tại\s+{N}\s+(?:cơ quan|đơn vị|sở|địa phương)")),
]
_COUNTED_STOCKS = ("digital_certificates", "mailboxes", "online_services", "e_office_units")
_PARTS_OPEN = re.compile(r"(?<!\w)(?:gồm|bao gồm|trong đó)(?!\w)")
_RATE_CHANGE_BEFORE = re.compile(r"(?<!\w)(?:tăng|giảm|nhích|nhích lên|tăng thêm|giảm đi|cao hơn|thấp hơn|lên|xuống)\s*(?:thêm\s+|khoảng\s+)?$")
_RESOLVED_LATE_AFTER = re.compile(r"\s*(?:,\s*)?(?:nhưng|song|tuy nhiên)\s+(?:đã\s+|bị\s+)?(?:quá hạn|trễ hạn|chậm)")
# ', cấp huyện 31.760 hồ sơ', ', cấp xã 99,6%': the same metric again for another level, verb left out
_LEVEL_NEXT = re.compile(r"[^,;]*?(?:[,;]\s*(?:và\s+)?|\s+và\s+)(?:ở\s+)?[Cc]ấp (?:tỉnh|huyện|xã)\s+(?:là\s+|đạt\s+)?"
                         r"(?P<num>\d[\d.,]*\d|\d)\s*(?P<word>hồ sơ|%)")
# '2.318/2.342 hồ sơ đúng hạn': an on-time rate written as a fraction
_RATE_FRACTION = re.compile(rf"{N}\s*/\s*{N}\s+hồ sơ[^.;]{{0,40}}?(?:đúng hạn|trước hạn|đúng và trước hạn|trước và đúng hạn)")

_OVERDUE = re.compile(r"quá hạn|trễ hạn|quá hẹn|trễ hẹn|chậm|chưa")
# an open parenthesis right after what a figure is compared with: the figures inside are the other period's
_COMPARED_PAREN = re.compile(r"(?:[Ss]o với|[Ss]o|[Cc]ùng kỳ|hơn)[^.;()]{0,40}\([^()]*$")
# 'giải quyết đúng hạn, tỷ lệ hài lòng đạt 99,1%', 'trả kết quả đúng hạn, trong đó hồ sơ trực tuyến chiếm 62,5%':
# between the on-time words and the number, another share is named; the number is that share's
_OTHER_SHARE = re.compile(r"hài lòng|trực tuyến|qua mạng|số hóa|số hoá|thanh toán|trong đó|bưu chính|trả lại")
# 'trước hạn ... chiếm 66,7%; đúng hạn ... chiếm 32,9%': once the early share is given alone, 'đúng hạn' is the
# share on the day itself, a part of the rate, not the rate
_EARLY_ALONE = re.compile(r"(?<!\w)(?<!đúng và )(?<!đúng hạn và )(?:trước|sớm) (?:hạn|hẹn)(?!\s*(?:và|,|-)\s*đúng)")
_PLAIN_ON_TIME = re.compile(r"(?<!và )đúng (?:hạn|hẹn)(?!\s*và)")
# 'Có 16 cơ quan, đơn vị trả kết quả đúng hạn đạt 100%': a share of agencies, not of dossiers
_COUNTED_BODIES = re.compile(r"\d+\s+(?:cơ quan|đơn vị|sở|huyện|xã|địa phương)[^.;]*$")
# Words that make a number another kind of figure: overdue, returned, online-only, pending, carried over.
_NOT_METRIC_BEFORE = re.compile(
    r"(?:quá hạn|trễ hạn|chậm|trả lại|trực tuyến|qua mạng|bưu chính|đang giải quyết|chưa giải quyết|chưa đến hạn|"
    r"tồn|kỳ trước chuyển sang|chuyển sang|chuyển qua|hủy|từ chối|không giải quyết|một phần|toàn trình|trong hạn|trễ hẹn|"
    r"đi vào hoạt động)[^.;,]{0,20}$")
_NOT_METRIC_AFTER = re.compile(r"^\s*(?:hồ sơ\s+)?(?:\w+\s+)?(?:trực tuyến|qua mạng|quá hạn|trễ hạn|trả lại|tồn|chưa|đang|"
                               r"ở mức độ|mức độ [34]|đúng hạn|đúng hẹn|đúng và|đúng thời|trước hạn|trước hẹn|trước và đúng)")
# (and a request not yet granted: 'đề nghị tinh giản biên chế đối với 215 người')
_PLAN = re.compile(r"(?<!\w)(?:[Pp]hấn đấu|[Kk]ế hoạch|[Cc]hỉ tiêu|[Mm]ục tiêu|sẽ|[Dd]ự kiến|[Đđ]ề ra|đặt ra|"
                   r"[Đđ]ề (?:nghị|xuất)(?= tinh giản))(?!\w)")
_SPAN = re.compile(r"(?<!\w)(?:[Tt]ính đến nay|[Ll]ũy kế đến nay|[Gg]iai đoạn|[Tt]ừ năm\s+\d{4}\s*(?:đến|-)|[Ll]ũy kế(?!\s+(?:\d+\s+tháng|từ đầu năm|đến (?:hết\s+)?(?:ngày|tháng|quý)))|[Tt]ừ khi (?:thành lập|đi vào hoạt động)|"
                   r"[Kk]ể từ khi|[Ss]au\s+\d+\s+năm|\d{4}\s*[-–]\s*\d{4})(?!\w)")

ONE_DISTRICT = "one district"
# the province's service centre (not one commune's or district's own: 'Trung tâm Phục vụ hành chính công phường X')
_CENTRE = re.compile(r"(?<!\w)(?:Trung tâm Phục vụ hành chính công|Trung tâm phục vụ hành chính công|Trung tâm Hành chính công|"
                     r"Trung tâm hành chính công|TTPVHCC|Bộ phận [Mm]ột cửa (?:tỉnh|cấp tỉnh)|Trung tâm PVHCC)(?!\w)"
                     r"(?!\s+(?:cấp\s+)?(?:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)(?!\w))")
# The body a figure is about: level and reporter (docs/facts.md).
_BODIES: list[tuple[re.Pattern[str], str, str]] = [
    (_CENTRE, "province", "service_centre"),
    # one commune's or district's own centre ('Trung tâm Phục vụ hành chính công phường Hạc Thành', since the
    # two-level government of 2025): like one district's desk, neither the province's nor the level's together
    # ('Trung tâm Phục vụ hành chính công xã' unnamed and alone: one commune's too, which the text does not name)
    (re.compile(r"(?<!\w)(?<![Cc]ác )(?<!\d )(?:Trung tâm [Pp]hục vụ hành chính công|Trung tâm [Hh]ành chính công)\s+"
                r"(?:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)(?!\w)(?!\s*,\s*(?:xã|phường|đặc khu|thị trấn))"),
     ONE_DISTRICT, ONE_DISTRICT),
    # the communes' centres taken together ('các Trung tâm Phục vụ hành chính công xã', '... cấp xã', '124 Trung tâm
    # ... xã, phường'): the communes' level
    (re.compile(r"(?<!\w)(?:(?:[Cc]ác|\d{1,3})\s+)?(?:Trung tâm [Pp]hục vụ hành chính công|Trung tâm [Hh]ành chính công)\s+"
                r"(?:cấp xã|(?:xã|phường)(?:\s*,\s*(?:xã|phường|đặc khu|thị trấn))+)(?!\w)"
                r"|(?<!\w)(?:[Cc]ác|\d{1,3})\s+(?:Trung tâm [Pp]hục vụ hành chính công|Trung tâm [Hh]ành chính công)\s+"
                r"(?:xã|phường)(?!\w)(?!\s+[A-ZĐ])"), "commune", "commune"),
    (re.compile(r"(?<!\w)[Cc]ấp huyện(?!\w)"), "district", "district"),
    # the districts taken together, named by their kinds: 'các huyện, thị xã, thành phố', 'UBND các huyện', '27 huyện'
    (re.compile(r"(?<!\w)(?:(?:UBND|Ủy ban nhân dân)\s+)?(?:[Cc]ác|\d{1,2})\s+(?:quận,\s*)?huyện"
                r"(?:\s*,\s*(?:quận|thị xã|thành phố|TP))*(?!\w)"), "district", "district"),
    # one district's own desk ('Bộ phận Một cửa huyện', 'Bộ phận Tiếp nhận và Trả kết quả của thị xã', 'UBND
    # huyện'): not the province's districts taken together, so no figure of the contract (see ONE_DISTRICT)
    (re.compile(r"(?<!\w)(?:Bộ phận (?:[Tt]iếp nhận và [Tt]rả kết quả|[Mm]ột cửa)(?: của)?|UBND|Ủy ban nhân dân) "
                r"(?:huyện|thị xã|quận)(?!\w)"
                # ('toàn huyện đã tiếp nhận', 'bộ phận “một cửa” TX.Tân Uyên', 'Uỷ ban nhân dân phường đã tiếp nhận':
                # one district's, town's, ward's or commune's own)
                r"|(?<!\w)[Tt]oàn (?:huyện|thị xã|quận)(?!\w)|(?<!\w)TX\.\s*[A-ZĐ]"
                r"|(?<!\w)(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:phường|xã|thị trấn|đặc khu)(?!\w)"), ONE_DISTRICT, ONE_DISTRICT),
    # a city of the province ('Bộ phận Một cửa thành phố Thanh Hóa', often named as its province is): a district's
    # desk too; a centrally-run city's own ('UBND thành phố Đà Nẵng') is the province itself
    (re.compile(r"(?<!\w)(?:Bộ phận (?:[Tt]iếp nhận và [Tt]rả kết quả|[Mm]ột cửa)(?: của)?|UBND|Ủy ban nhân dân) "
                rf"(?:thành phố|TP\.?)\s*{P.NOT_CENTRAL_CITY}[A-ZĐ]"), ONE_DISTRICT, ONE_DISTRICT),
    # ('các phường, xã, thị trấn', '559 xã, phường, thị trấn': the communes by their kinds, in any order)
    (re.compile(r"(?<!\w)(?:[Cc]ấp xã|(?:UBND |Ủy ban nhân dân )?(?:[Cc]ác|(?<![\d/])\d{1,4}) (?:xã|phường)(?:,\s*(?:xã|phường|thị trấn|"
                r"đặc khu))+|(?:UBND|Ủy ban nhân dân) các xã)(?!\w)"),
     "commune", "commune"),
    # ('cấp xã trên địa bàn thành phố' is the communes' level, the place only where they are)
    (re.compile(r"(?<!\w)(?:[Cc]ấp tỉnh|[Tt]oàn tỉnh|toàn thành phố|(?<!cấp xã )(?<!cấp huyện )"
                r"trên địa bàn (?:tỉnh|thành phố)|các sở, ngành|"
                r"các cơ quan, đơn vị cấp tỉnh|UBND tỉnh)(?!\w)"), "province", "province"),
]
# One department's own counts inside a province's report: not the province's figure.
_DEPARTMENT = re.compile(r"(?<!\w)(?:Sở [A-ZĐ][\w ,]{2,40}?|Công an tỉnh|Công an thành phố|Bảo hiểm xã hội tỉnh|"
                         r"Cục Thuế|Chi nhánh Văn phòng [Đđ]ăng ký đất đai|Văn phòng [Đđ]ăng ký đất đai|"
                         # the People's Committee's own office, the industrial zones' board, the treasury
                         r"Văn phòng (?:UBND|Ủy ban nhân dân) (?:tỉnh|thành phố)|Ban Quản lý (?:các )?[Kk]hu (?:công nghiệp|kinh tế)|"
                         r"Kho bạc Nhà nước|Cục Hải quan)(?=\s|,|$)")
# Departments an article can be about, by the name a reporter field gives them (docs/facts.md).
_DEPARTMENT_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<!\w)(?:Chi nhánh )?Văn phòng [Đđ]ăng ký đất đai(?!\w)"), "Văn phòng đăng ký đất đai"),
    (re.compile(r"(?<!\w)Sở Tư pháp(?!\w)"), "Sở Tư pháp"),
    (re.compile(r"(?<!\w)Sở Kế hoạch (?:và|&) Đầu tư(?!\w)"), "Sở Kế hoạch và Đầu tư"),
    (re.compile(r"(?<!\w)Sở Tài nguyên (?:và|&) Môi trường(?!\w)"), "Sở Tài nguyên và Môi trường"),
    (re.compile(r"(?<!\w)Sở Xây dựng(?!\w)"), "Sở Xây dựng"),
    (re.compile(r"(?<!\w)Sở Giao thông [Vv]ận tải(?!\w)"), "Sở Giao thông vận tải"),
    (re.compile(r"(?<!\w)Công an (?:tỉnh|thành phố)(?!\w)"), "Công an tỉnh"),
]
_ONLY_DEPARTMENT = re.compile(r"\s*(?:Riêng|Trong đó,?|Cụ thể,?)\s+(?:tại\s+)?" + _DEPARTMENT.pattern)
# ('Tỷ lệ ... của Trung tâm đạt 99,47%': the centre's own rate)
_BARE_CENTRE = re.compile(r"(?<!\w)Trung tâm(?=\s+(?:đã|tiếp nhận|giải quyết|trả|nhận|thực hiện|tiếp tục)(?!\w))"
                          r"|(?<=của )Trung tâm(?=\s*(?:đạt|là|chiếm|[,.;:]))")
_DEPARTMENT_WORDS = re.compile(r"Sở|Văn phòng|Công an")
# 'Theo Sở Nội vụ, ...', 'báo cáo của Sở ...': the department tells the province's figures, it is not their subject.
_INFORMANT = re.compile(r"(?:[Tt]heo|của|[Bb]áo cáo|cho biết|thông tin)\W*(?:\w+\W+){0,2}$")
_LEVELLED = {"dossiers_received", "dossiers_resolved", "on_time_rate", "online_services"}
_FLOWS = {"dossiers_received", "dossiers_resolved", "on_time_rate"}  # counted over a period (not a stock held)


def _value(token: str, unit: str, warnings: list[str]) -> float | None:
    try:
        return parse_decimal(token) if unit == "percent" else float(parse_int(token))
    except MalformedNumber as exc:
        warnings.append(f"skipped activity figure: {exc}")
        return None


_APPROXIMATE_BEFORE = re.compile(r"(?<!\w)(?:hơn|trên|gần|khoảng|xấp xỉ|chừng|ngót|tới hơn|đến hơn)\s+$")


_AVERAGE_BEFORE = re.compile(r"(?<!\w)(?:[Bb]ình quân|[Tt]rung bình|[Mm]ỗi (?:ngày|tuần|tháng|quý|năm))(?!\w)[^.;]{0,50}$")
_PER_AFTER = re.compile(r"\s*(?:hồ sơ\s*)?(?:/|mỗi\s+|một\s+)(?:ngày|tuần|tháng)(?!\w)")


# 'Cùng kỳ năm 2020, ...': the same period of another year
_SAME_PERIOD_OF = re.compile(r"(?<!\w)[Cc]ùng kỳ\s+(?:năm\s+)?(?:((?:19|20)\d{2})|trước|ngoái)(?!\w)")


# 'cấp tỉnh, huyện, xã lần lượt tiếp nhận 120.500, 85.300 và 210.400 hồ sơ': one figure per level, in order
_LEVELS_RESPECTIVELY = re.compile(
    r"[Cc]ấp tỉnh\s*,\s*(?:cấp\s+)?huyện\s*(?:,|và)\s*(?:cấp\s+)?xã(?!\w)[^.;]{0,40}?lần lượt\s+(?:là\s+|đạt\s+|"
    r"tiếp nhận\s+|giải quyết\s+)?(?P<a>\d[\d.,]*\d|\d)\s*(?:%|hồ sơ)?\s*,\s*(?P<b>\d[\d.,]*\d|\d)\s*(?:%|hồ sơ)?\s*"
    r"(?:,|và|,\s*và)\s*(?P<c>\d[\d.,]*\d|\d)\s*(?P<pct>%|hồ sơ)")
# periods the contract has no code for ('tuần qua', 'hôm qua'): the figure is left out, not given another period
_UNREAD_PERIOD = re.compile(r"(?<!\w)(?:[Tt]uần (?:qua|trước|này|vừa qua)|[Tt]rong tuần|[Hh]ôm (?:qua|nay)|[Nn]gày hôm qua)(?!\w)")
_COMPARED_YEAR_BEFORE = re.compile(r"(?:so với|so|cùng kỳ|hơn)\s+(?:cùng kỳ\s+)?(?:năm\s+)?$")
_YEAR_TOKEN = re.compile(r"(?<![\d/.])((?:19|20)\d{2})(?![\d/])")


# a sentence that opens on the online (or postal) dossiers counts only those
_ONLINE_OPENER = re.compile(r"^\s*(?:Về|Đối với|Riêng|Với)\s+(?:số\s+|các\s+)?hồ sơ\s+(?:nộp\s+|tiếp nhận\s+)?(?:trực tuyến|qua "
                            r"(?:mạng|dịch vụ công|Cổng|bưu chính|dịch vụ bưu chính))")


def activity_figures(sentence: str, warnings: list[str]) -> list[Activity]:
    """The activity figures a sentence states, with their position; no period, body or unit yet."""
    out: list[Activity] = []
    seen: set[tuple[str, int]] = set()
    # the rules are written for words inside a sentence: its first letter is read lowercased ('Tổng số hồ sơ tiếp
    # nhận là ...', 'Tinh giản biên chế 45 người'); positions stay the sentence's own
    lowered = sentence[:1].lower() + sentence[1:]
    online_only = bool(_ONLINE_OPENER.match(sentence))
    for metric, unit, rx in _RULES:
        if online_only and metric in ("dossiers_received", "dossiers_resolved"):
            continue  # 'Về hồ sơ trực tuyến, ... tiếp nhận 581 hồ sơ': the online ones, a part of the dossiers
        for m in rx.finditer(lowered):
            groups = [(i, g) for i, g in enumerate(m.groups(), 1) if g is not None]
            if not groups:
                continue
            gi, token = groups[0]
            pos = m.start(gi)
            if (metric, pos) in seen:
                continue
            before = sentence[max(0, pos - 45):pos]
            if metric == "on_time_rate" and (_OVERDUE.search(sentence[m.start():pos])
                                             or _OTHER_SHARE.search(sentence[m.start():pos])
                                             or (_PLAIN_ON_TIME.fullmatch(re.search(_ON_TIME, m.group(0)).group(0))
                                                 and any(e.start() < m.start() for e in _EARLY_ALONE.finditer(sentence)))
                                             or _COUNTED_BODIES.search(sentence[max(0, m.start() - 80):m.start()])):
                continue  # the overdue share, another share, or a share of agencies (_OVERDUE, _OTHER_SHARE, _COUNTED_BODIES)
            if metric != "on_time_rate" and (_NOT_METRIC_BEFORE.search(before)
                                             or _NOT_METRIC_AFTER.match(sentence[m.end(gi):m.end(gi) + 25])):
                continue
            if unit == "percent" and _RATE_CHANGE_BEFORE.search(before):
                continue  # 'Tỷ lệ đúng hẹn ... nhích lên 0,03% so với năm trước': a change of the rate, not the rate
            if metric == "dossiers_resolved" and _RESOLVED_LATE_AFTER.match(sentence, m.end()):
                continue  # '2.534 hồ sơ được giải quyết nhưng đã quá hạn': the late ones among the resolved
            if unit == "percent" and _APPROXIMATE_BEFORE.search(sentence, max(0, pos - 12), pos):
                # 'giải quyết hơn 98% hồ sơ đúng hạn': a bound or a rounding, not the rate (a count 'trên 4.000 hộp
                # thư' is the founding example's own figure)
                continue
            if _COMPARED_PAREN.search(sentence[max(0, pos - 120):pos]):
                continue  # 'so với cùng kỳ năm 2022 (tiếp nhận 10.500 hồ sơ)': the figure compared with, another period's
            if _AVERAGE_BEFORE.search(sentence, max(0, pos - 60), pos) or _PER_AFTER.match(sentence, m.end()):
                continue  # 'Bình quân mỗi tháng Trung tâm tiếp nhận 10.000 hồ sơ': an average, not the period's count
            if metric in _COUNTED_STOCKS and any(
                    o.metric == metric and o.start < pos and _PARTS_OPEN.search(sentence, o.start, pos) for o in out):
                continue  # '6.632 chứng thư số, gồm 5.503 chứng thư số cá nhân và 1.129 ...': the parts of a count
            value = _value(token, unit, warnings)
            if value is None or (unit == "percent" and not 0 <= value <= 100):
                continue
            total = None
            if len(groups) > 1:
                total = _value(groups[1][1], "count", warnings)
            seen.add((metric, pos))
            out.append(Activity(metric, value, unit, None, sentence.strip(), total, start=pos))
    for f in list(out):
        # the next level's figure is read from past the figure's own number, then right where each one ended
        number = _DIGITS.match(sentence, f.start)
        pos = number.end() if number else sentence.find(" ", f.start)
        while pos >= 0:
            nxt = _LEVEL_NEXT.match(sentence, pos)
            if not nxt:
                break
            token, word = nxt.group("num"), nxt.group("word")
            if (f.unit == "percent") != (word == "%"):
                break
            value = _value(token, f.unit, warnings)
            if value is None:
                break
            out.append(Activity(f.metric, value, f.unit, None, sentence.strip(), start=nxt.start("num")))
            pos = nxt.end()
    for m in _LEVELS_RESPECTIVELY.finditer(sentence):
        # 'cấp tỉnh, huyện, xã lần lượt tiếp nhận 120.500, 85.300 và 210.400 hồ sơ': one figure per level, in order
        lead = sentence[max(0, m.start() - 60):m.start("a")]
        percent = m.group("pct") == "%"
        if percent:
            metric, unit = ("on_time_rate", "percent") if re.search(_ON_TIME, lead) else (None, None)
        elif re.search(r"tiếp nhận", lead):
            metric, unit = "dossiers_received", "dossiers"
        elif re.search(r"giải quyết", lead) and not re.search(_ON_TIME, lead):
            metric, unit = "dossiers_resolved", "dossiers"
        else:
            metric, unit = None, None
        if metric is None:
            continue
        out[:] = [a for a in out if a.start not in (m.start("a"), m.start("b"), m.start("c"))]  # read again, by level
        for g, level in (("a", "province"), ("b", "district"), ("c", "commune")):
            value = _value(m.group(g), unit, warnings)
            if value is None or (percent and not 0 <= value <= 100):
                break
            out.append(Activity(metric, value, unit, level, sentence.strip(), start=m.start(g)))
    for m in _RATE_FRACTION.finditer(sentence):
        part, whole = _value(m.group(1), "count", warnings), _value(m.group(2), "count", warnings)
        if part is None or not whole or part > whole:
            continue
        out.append(Activity("on_time_rate", round(100 * part / whole, 2), "percent", None, sentence.strip(),
                            start=m.start(1)))
        if re.search(r"giải quyết\s*$", sentence[max(0, m.start() - 20):m.start()]):
            out.append(Activity("dossiers_resolved", whole, "dossiers", None, sentence.strip(), start=m.start(2)))
    returned = [a for a in out if a.metric == "dossiers_resolved" and _RETURNED_BEFORE.search(sentence, 0, a.start)]
    if returned and len(returned) < sum(a.metric == "dossiers_resolved" for a in out):
        # 'giải quyết 79.900 hồ sơ, trả kết quả 79.020 hồ sơ': the results returned are fewer than those resolved
        out = [a for a in out if a not in returned]
    out.sort(key=lambda a: a.start)
    return out


_RETURNED_BEFORE = re.compile(r"trả kết quả\s+$")
# 'Bộ phận một cửa cấp huyện, cấp xã đã tiếp nhận ...': two levels counted together, neither level's figure.
_MIXED_LEVELS = re.compile(r"[Cc]ấp huyện\s*(?:,|và|&)\s*(?:cấp\s+)?xã(?!\w)")
MIXED = ("mixed", "mixed")


_ALL_LEVELS = re.compile(r"[Cc]ấp tỉnh[^;\d]{0,60}?cấp huyện[^;\d]{0,30}?cấp xã")


def _body_before(sentence: str, pos: int) -> tuple[str, str] | None:
    """(level, reporter) named nearest before pos in the sentence; MIXED for levels counted together; the
    province for all three named together ('cơ quan chuyên môn cấp tỉnh, UBND cấp huyện, UBND cấp xã')."""
    every = [m for m in _ALL_LEVELS.finditer(sentence, 0, pos)]
    if every and not re.search(r"[;\d]", sentence[every[-1].end():pos]):
        return ("province", "province")
    best = None
    for rx, level, reporter in _BODIES:
        for m in rx.finditer(sentence, 0, pos):
            if best is None or m.start() > best[0]:
                best = (m.start(), level, reporter)
    if best and best[1] == "commune" and any(m.start() < best[0] < m.end() for m in _MIXED_LEVELS.finditer(sentence, 0, pos)):
        return MIXED
    return (best[1], best[2]) if best else None


def _department_owns(sentence: str, pos: int) -> bool:
    """A department named in the figure's clause, after any province-level body: its own count; or a sentence
    that opens on one department alone ('Riêng Công an tỉnh tiếp nhận ..., tỷ lệ đúng hạn 100%')."""
    if _ONLY_DEPARTMENT.match(sentence) and _ONLY_DEPARTMENT.match(sentence).end() <= pos:
        return True
    clause_start = max(sentence.rfind(c, 0, pos) for c in ",;:(")
    # (not 'Theo Sở Khoa học và Công nghệ, ...': the department is the source quoted, not the one counted)
    dept = [m for m in _DEPARTMENT.finditer(sentence, 0, pos) if m.start() > clause_start - 60
            and not re.search(r"(?:^|[,;]\s*)[Tt]heo\s+$", sentence[max(0, m.start() - 10):m.start()])]
    if not dept:
        return False
    # (a body named inside the department's name is not another: 'Văn phòng UBND tỉnh')
    body = max((m.start() for rx, _, _ in _BODIES for m in rx.finditer(sentence, 0, pos)
                if not any(d.start() <= m.start() < d.end() for d in dept)), default=-1)
    return dept[-1].start() > body


@dataclass
class ActivityContext:
    """What an article's activity figures inherit when their sentence does not say it."""

    primary_unit: Mention | None
    period: PD.Period | None  # the headline's or lead's period
    year: int | None  # the article's year for periods that name none
    published: dt.date | None
    running: PD.Period | None = None  # the period the paragraphs read so far named last
    heading_body: tuple[str, str] | None = None  # a list's level heading ('- Cấp huyện:'): its items' body
    body: tuple[str, str] | None = None  # the body the headline or lead names as reporting ('Trung tâm PVHCC')
    centre_named: bool = False  # the article has named the provincial service centre: 'Trung tâm' alone is it


def department_named(text: str, end: int | None = None) -> str | None:
    """The one department a text names as its subject before end (not as the source: 'Theo Sở ...')."""
    end = len(text) if end is None else end
    if not _DEPARTMENT_WORDS.search(text, 0, end):
        return None
    found = {name for rx, name in _DEPARTMENT_NAMES for m in rx.finditer(text, 0, end)
             if not _INFORMANT.search(text[max(0, m.start() - 30):m.start()])}
    return found.pop() if len(found) == 1 else None


# '... niêm yết công khai tại Trung tâm Phục vụ hành chính công tỉnh': the centre as a place, inside a clause whose
# subject is another (a clause opening on 'Tại Trung tâm ...' does speak of the centre's work)
_PLACE_WORD_BEFORE = re.compile(r"\w\s+(?:tại|ở|lên|đến|về|vào)\s+$")


def _centre_as_place_blanked(text: str) -> str:
    def blank(c: re.Match) -> str:
        return " " * len(c.group()) if _PLACE_WORD_BEFORE.search(text[max(0, c.start() - 20):c.start()]) else c.group()
    return _CENTRE.sub(blank, text)


def body_named(text: str) -> tuple[str, str] | None:
    """The reporting body a headline or lead names: the service centre, or the one department it is about
    ('Văn phòng đăng ký đất đai tỉnh ... đã tiếp nhận ...')."""
    text = _centre_as_place_blanked(text)
    found = _body_before(text, len(text))
    if found == MIXED:
        return None
    if found and found[1] == "service_centre":
        return found
    if found is None:
        dept = department_named(text)
        if dept:
            return ("province", dept)
    return None


# 'các bộ, ngành, địa phương', 'khối Trung ương': the country's figures, not the publishing site's province
_NATIONAL_SUBJECT = re.compile(r"(?:các\s+)?bộ, ngành(?:,| và) (?:các\s+)?địa phương|khối Trung ương|khối bộ, ngành")
# 'là 6.632 chứng thư, trong đó 5.503 …, 1.129 …': the parts of a total stated just before
_PARTS = re.compile(r"(?<!\w)trong đó(?!\w)")
# counts that reports break down by category after 'trong đó' (a dossier count's 'trong đó' is what became of
# them: resolved, on time, which are figures of their own)
_BROKEN_DOWN = {"digital_certificates", "staff_reduction", "legal_documents", "online_services", "mailboxes",
                "inspections", "e_office_units"}
_LEVEL_WORD = re.compile(r"cấp (?:tỉnh|huyện|xã)|(?:tỉnh|huyện|xã)\s*:")


def _part_of_total(sentence: str, pos: int) -> bool:
    """The figure at pos is one part of a total the clause before 'trong đó' states (not a level's share)."""
    parts = [m for m in _PARTS.finditer(sentence, 0, pos)]
    if not parts:
        return False
    td = parts[-1].start()
    return ";" not in sentence[td:pos] and re.search(r"\d", sentence[:td]) is not None \
        and not _LEVEL_WORD.search(sentence[td:pos])


# 'tiếp nhận 64.933 hồ sơ. Trong đó, ... 4.662 hồ sơ từ kỳ trước chuyển sang': the count includes dossiers carried
# over from the period before, so it is not the period's received dossiers (which a report gives as 'mới tiếp nhận')
_CARRIED_OVER = re.compile(r"(?:kỳ trước|tháng trước|quý trước|năm trước) chuyển sang|tồn (?:từ )?kỳ trước|chuyển tiếp từ"
                           r"|chuyển từ (?:kỳ|tháng|quý|năm) trước")
_NEW_RECEIVED = re.compile(r"(?<!\w)mới(?!\w)")
_BREAKDOWN_OPENS = re.compile(r"\s*(?:Trong đó|Bao gồm|Gồm)(?!\w)")
# where the breakdown of what was received ends and what became of it begins ('đã giải quyết 37.915 hồ sơ'; not
# 'Hệ thống thông tin giải quyết TTHC', the system's name)
_RESOLVED_WORDS = re.compile(r"(?:đã|được)\s+(?:giải quyết|xử lý|trả kết quả)|(?:giải quyết|xử lý)\s+(?:được\s+)?(?:xong\s+)?\d")


# a staff cut counted for one bloc of the province's bodies ('khối Đảng, đoàn thể tinh giản 11 người', 'các đơn vị
# sự nghiệp công lập tinh giản 166 người', 'cán bộ, công chức cấp xã tinh giản 6 người'): reports break the year's
# cut down by bloc, and a bloc's count is a part, never the province's figure, whether or not the total is stated
_BLOC = re.compile(r"(?<!\w)(?:[Kk]hối\s+(?:Đảng|đảng|chính quyền|đoàn thể|sự nghiệp|hành chính|[Mm]ặt trận)|[Đđ]oàn thể|[Cc]ơ quan (?:Đảng|hành chính|chính quyền|tổ chức hành chính)"
                   r"|[Đđ]ơn vị sự nghiệp|[Tt]ổ chức [Hh]ội|[Hh]ội đặc thù|công chức cấp (?:xã|huyện)"
                   r"|[Nn]gành (?:[Gg]iáo dục|[Yy] tế)"
                   # ('khối giáo dục', 'các sở, ngành tinh giản 85 người': one bloc's part of the province's cut)
                   r"|[Kk]hối (?:giáo dục|y tế|sở|huyện|xã)|các sở, (?:ban, )?ngành|cấp huyện|cấp xã)(?!\w)")


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _bloc_count(sentence: str, pos: int) -> bool:
    """The staff cut at pos is one bloc's: a bloc is named after the figure before it (or the sentence's start)."""
    prev = max((m.end() for m in _DIGITS.finditer(sentence, 0, pos)), default=0)
    window = sentence[max(prev, pos - 90):pos]
    window = window[max(window.rfind(";"), window.rfind(".")) + 1:]
    return _BLOC.search(window) is not None


# dossiers of one procedure or field ('335 hồ sơ cấp đổi giấy phép lái xe', 'hồ sơ thuộc lĩnh vực đất đai'): a part of
# what the body handled, not its count (not 'hồ sơ thuộc thẩm quyền', 'hồ sơ TTHC', which are all of them)
_ONE_KIND_AFTER = re.compile(r"^(?:\d[.,](?=\d)|[^.;,]){0,25}?\d\s+hồ sơ\s+(?:cấp(?:\s+(?:đổi|lại|mới))?|đổi|đăng ký|xin|về|liên quan"
                             r"|(?:thuộc\s+|trong\s+|ở\s+)?(?:các\s+)?lĩnh vực)(?!\w)")


def _received_with_carried_over(sentence: str, pos: int, next_sentence: str | None) -> bool:
    """A received count whose breakdown (the rest of its sentence, or the next sentence opening on 'Trong đó')
    counts dossiers carried over: the total to handle, not what the period received."""
    if _NEW_RECEIVED.search(sentence, max(0, pos - 40), pos) or \
            re.match(r"[\d.,]+\s+hồ sơ (?:(?:được\s+)?tiếp nhận mới|mới (?:được\s+)?tiếp nhận)", sentence[pos:pos + 40]):
        return False  # the new ones ('tiếp nhận mới 1.545', '1.545 hồ sơ tiếp nhận mới')
    rest = sentence[pos:]
    if next_sentence and _BREAKDOWN_OPENS.match(next_sentence):
        rest += " " + next_sentence
    stop = _RESOLVED_WORDS.search(rest)
    rest = rest[:stop.start()] if stop else rest
    # (a breakdown that gives the new ones apart: 'là 9.506 hồ sơ, gồm: 7.865 hồ sơ tiếp nhận mới ...')
    return _CARRIED_OVER.search(rest) is not None or re.search(r"[,:;(]\s*(?:gồm|trong đó|bao gồm)\W[^.;]{0,10}?"
                                                              r"[\d.,]+\s+hồ sơ (?:được\s+)?tiếp nhận mới", rest) is not None


# a paragraph that is only a level's heading in a report's list: '- Cấp huyện:', 'b) Đối với cấp xã'
_LEVEL_HEADING = re.compile(r"\s*(?:[-–•*+]\s*|(?:\d{1,2}|[a-dđ])\s*[.)]\s*)?(?:[Đđ]ối với\s+|[Tt]ại\s+|[Ởở]\s+)?"
                            r"([Cc]ấp (?:tỉnh|huyện|xã))\s*[:.]?\s*")


def level_heading(block: str) -> tuple[str, str] | None:
    """The level a paragraph names as a list's heading ('- Cấp huyện:'), or None."""
    heading = _LEVEL_HEADING.fullmatch(block)
    return _body_before(heading.group(1), len(heading.group(1))) if heading else None


def plain_block(block: str, ctx: ActivityContext) -> None:
    """A paragraph with no activity figure: a level's heading opens a list whose items are that level's
    figures; any other paragraph closes it."""
    ctx.heading_body = level_heading(block)


# a sentence about the online dossiers only: its counts are a part of the totals, not the totals
_ONLINE_SUBJECT = re.compile(r"^\s*(?:Lượng|Số lượng|Số)\s+hồ sơ\s+(?:nộp\s+|tiếp nhận\s+)?(?:trực tuyến|qua mạng|qua dịch vụ công)")


def block_activities(block_sentences: list[str], ctx: ActivityContext, warnings: list[str]) -> list[tuple]:
    """(unit mention, period code, index year, Activity) for each figure a paragraph states."""
    out = []
    para_period: PD.Period | None = None
    para_body: tuple[str, str] | None = None
    para_unit: Mention | None = None
    para_national = False
    any_figure = False
    for i, sentence in enumerate(block_sentences):
        periods = PD.period_mentions(sentence, ctx.published)
        units = [u for u in find_units(sentence) if u.kind == "province"]
        national = not units and (para_national or _NATIONAL_SUBJECT.search(sentence) is not None)
        para_national = national or (para_national and not units)
        figures = activity_figures(sentence, warnings)
        any_figure = any_figure or bool(figures)
        sentence_body = _body_before(sentence, len(sentence))
        if sentence_body == ("province", "service_centre"):
            ctx.centre_named = True
        elif sentence_body is None and ctx.centre_named and _BARE_CENTRE.search(sentence):
            sentence_body = ("province", "service_centre")  # and the paragraph's next sentences speak of it too
        if not figures:
            para_period = periods[-1] if periods else para_period
            para_body = sentence_body or para_body
            para_unit = units[-1] if units else para_unit
            continue
        if national:
            continue  # the country's figures (ministries and localities together), no province's
        if _ONLINE_SUBJECT.match(sentence):
            continue  # 'Lượng hồ sơ trực tuyến mà sở nhận và xử lý ...: 448 hồ sơ nộp vào, 412 giải quyết': online only
        plan = [m.start() for m in _PLAN.finditer(sentence)]
        spans = [m.start() for m in _SPAN.finditer(sentence)]
        for f in figures:
            if any(p < f.start and ";" not in sentence[p:f.start] for p in plan + spans):
                continue  # a plan or target, or a total over several years, in the figure's clause
            if f.metric in _BROKEN_DOWN and _part_of_total(sentence, f.start):
                continue  # one category of the total just stated ('trong đó 5.503 chứng thư cá nhân, …')
            if f.metric in ("dossiers_received", "dossiers_resolved") and _ONE_KIND_AFTER.search(sentence[f.start:f.start + 60]):
                continue  # one procedure's or field's dossiers (see _ONE_KIND_AFTER)
            if f.metric == "dossiers_received" and _received_with_carried_over(
                    sentence, f.start, block_sentences[i + 1] if i + 1 < len(block_sentences) else None):
                continue  # received and carried over together: the total to handle (see _CARRIED_OVER)
            if f.metric == "staff_reduction" and _bloc_count(sentence, f.start):
                continue  # one bloc's cut (see _BLOC)
            if f.metric == "staff_reduction" and "đợt" in sentence[max(sentence.rfind(c, 0, f.start) for c in ",;:("):f.start]:
                continue  # one batch of a year's staff cuts ('đợt 1 tinh giản 7 người'), not the year's
            dept = None
            if _department_owns(sentence, f.start):
                dept = department_named(sentence, f.start)
                if f.metric not in _LEVELLED or ctx.body is None or dept != ctx.body[1]:
                    continue  # one department's own count inside a province's report
            before = [p for p in periods if p.start < f.start]
            # ('ban hành 25 văn bản ... trong 6 tháng đầu năm': a period after the figure, in its clause, is its own)
            after = [p for p in periods if p.start > f.start and not re.search(r"[,;:]", sentence[f.start:p.start])]
            period = before[-1] if before else after[0] if after else (para_period or ctx.running or ctx.period)
            if period is None:
                continue  # a figure with no readable period is left out
            if not before and not after and (_UNREAD_PERIOD.search(sentence, 0, f.start) or (
                    not _SAME_PERIOD_OF.search(sentence, 0, f.start)
                    and any(period.year and int(m.group(1)) != period.year for m in _YEAR_TOKEN.finditer(sentence)
                            if not _COMPARED_YEAR_BEFORE.search(sentence, max(0, m.start() - 25), m.start())))):
                continue  # 'Tuần qua, ...', or a year the sentence names that the period it would inherit is not
            same = [m for m in _SAME_PERIOD_OF.finditer(sentence, 0, f.start)
                    if not re.search(r"[Ss]o\s+(?:với\s+)?$", sentence[max(0, m.start() - 8):m.start()])]
            if same and not before:
                # 'Cùng kỳ năm 2020, toàn tỉnh tiếp nhận 195.100 hồ sơ': the period named last, a year earlier
                if not (period.code and period.year):
                    continue
                y = period.year - 1 if same[-1].group(1) is None else int(same[-1].group(1))
                period = PD.Period(period.start, period.code.replace(str(period.year), str(y)), y, period.kind,
                                   period.raw)
            if period.kind == "asof" and f.metric in _FLOWS:
                # 'Đến hết tháng 4/2018, Trung tâm đã tiếp nhận 28.817 hồ sơ': dossiers counted up to a month from
                # a start the phrase does not give (the year's? the centre's opening?): not that month's
                continue
            year = period.year or (para_period.year if para_period and para_period.year else None) or ctx.year
            done = PD.finish(period, year)
            if done is None:
                continue
            code, index_year = done
            if dept:
                body = ("province", dept)
            elif f.metric == "online_services":  # the portal's services are the province's unless the sentence says
                body = _body_before(sentence, f.start)
            else:
                body = _body_before(sentence, f.start) or para_body or ctx.heading_body or ctx.body
            if body is None and ctx.centre_named and _BARE_CENTRE.search(sentence, 0, f.start):
                body = ("province", "service_centre")  # 'Trung tâm tiếp nhận ...' once the article named the centre
            if f.level in ("province", "district", "commune"):
                body = (f.level, f.level)  # a level given with the figure ('cấp tỉnh, huyện, xã lần lượt ...')
            if ctx.body and ctx.body[0] == ONE_DISTRICT and not any(
                    rx.search(sentence, 0, f.start) for rx, level, reporter in _BODIES if reporter == "province"):
                # an article about one district: its 'cấp huyện', 'cấp xã' are that district's own, unless the
                # sentence speaks of the province ('Trên phạm vi toàn tỉnh, ... cấp huyện tiếp nhận ...')
                continue
            if body == MIXED:
                continue  # district and commune desks counted together: no one level's figure
            if body and body[0] == ONE_DISTRICT:
                continue  # one district's desk: neither the province's nor its districts' together
            if body and body[1] not in ("province", "service_centre", "district", "commune") and not dept \
                    and (sentence_body or f.metric not in _LEVELLED):
                body = None  # the article's department reports only what its sentences leave unassigned
            if f.metric in _LEVELLED:
                level, reporter = body or ("province", "province")
            elif f.metric == "e_office_units":
                level, reporter = "commune", (body[1] if body else "province")
            elif body and body[0] in ("district", "commune") and \
                    _body_before(sentence[sentence.rfind(";", 0, f.start) + 1:f.start], f.start) == body:
                continue  # 'cấp huyện ban hành 120 văn bản': the districts' count of a province-wide measure
            else:
                # (a staff cut, the legal documents issued: the province's own unless the sentence names the
                # centre; the centre an article's lead or later paragraph names handles dossiers, not these)
                inherited_centre = body == ("province", "service_centre") and not _body_before(sentence, f.start)
                level, reporter = "province", (body[1] if body and body[0] == "province" and not inherited_centre
                                               else "province")
            named = {u.name: u for u in units if u.start < f.start} or {u.name: u for u in units}
            unit = next(iter(named.values())) if len(named) == 1 else (para_unit or ctx.primary_unit)
            if unit is None:
                continue
            f.level, f.reporter, f.period = level, reporter, code
            out.append((unit, code, index_year, f))
        para_period = periods[-1] if periods else para_period
        para_body = sentence_body or para_body
        para_unit = units[-1] if units else para_unit
    if not any_figure:
        ctx.heading_body = None  # a paragraph with no figure ends a level's list
    if para_period is not None:
        ctx.running = para_period  # 'Trong tháng 7/2021, ...' opens a report whose figures follow in other paragraphs
    return out
