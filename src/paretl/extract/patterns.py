"""The words Vietnamese news uses for indices, ranks, scores and changes, as compiled patterns.

Kept apart from the logic that uses them so that a new phrasing is a one-line change here.
"""

from __future__ import annotations

import re

from paretl.extract.numbers import ORDINAL_WORD, WORD_NUMBER

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟƠƢƤƧƩƬƮƯƱƲƳƵƷƸƼǄǇǊǍǏǑǓǕǗǙǛǞǠǢǤǦǨǪǬǮǱǴǶǷǸǺǼǾȀȂȄȆȈȊȌȎȐȒȔȖȘȚȜȞȠȢȤȦȨȪȬȮȰȲȺȻȽȾɁɃɄɅɆɈɊɌɎḀḂḄḆḈḊḌḎḐḒḔḖḘḚḜḞḠḢḤḦḨḪḬḮḰḲḴḶḸḺḼḾṀṂṄṆṈṊṌṎṐṒṔṖṘṚṜṞṠṢṤṦṨṪṬṮṰṲṴṶṸṺṼṾẀẂẄẆẈẊẌẎẐẒẔẞẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸỺỼỾ"  # Latin capitals incl. Vietnamese; a range like À-Ỹ would take lower case too
NUM = r"\d[\w.,]*(?<![.,])"  # loose on purpose: the parser decides, and logs what is malformed

INDEX_NAMES: dict[str, str] = {
    "PAR_INDEX": (
        r"PAR[\s-]?INDEX|PAR[\s-]?[Ii]ndex|Par[\s-]?[Ii]ndex|[Cc]hỉ số [Cc]ải cách hành chính|[Cc]hỉ số CCHC|"
        r"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH|CHỈ SỐ CCHC|[Xx]ếp hạng (?:công tác )?(?:cải cách hành chính|CCHC)|"
        r"(?<=về )(?:công tác )?(?:cải cách hành chính|CCHC)|"
        # 'Chỉ cải cách hành chính xếp hạng thứ 43/63': the index's name with its 'số' dropped
        r"Chỉ [Cc]ải cách hành chính(?= (?:năm|của|xếp|đạt|tỉnh|\())"
    ),
    "SIPAS": (
        r"SIPAS|Sipas|[Cc]hỉ số [Hh]ài lòng|CHỈ SỐ HÀI LÒNG|"
        # the index's full name without 'Chỉ số' ('sự hài lòng của người dân, tổ chức đối với sự phục vụ của các cơ
        # quan hành chính nhà nước (xếp thứ 11/63 ...)'): precise enough to be the index, not satisfaction in general
        r"(?:[Ss]ự|[Mm]ức độ) hài lòng của người dân,? (?:và )?tổ chức đối với sự phục vụ của (?:các )?cơ quan hành chính nhà nước|"
        # the same in other words, with its national place right after ('mức độ người dân, tổ chức hài lòng với
        # cách các cơ quan nhà nước ở địa phương phục vụ (đứng thứ 11/63 tỉnh thành; ...)')
        r"[Mm]ức (?:độ )?(?:người dân,? (?:và )?tổ chức )?hài lòng (?:của người dân,? (?:và )?tổ chức )?(?:với|đối với) "
        r"(?:cách |sự phục vụ của )?(?:các )?cơ quan (?:hành chính )?nhà nước[^.;()]{0,40}?(?=\s*\(\s*(?:đứng|xếp)(?: hạng)? thứ \d{1,2}\s*/\s*(?:63|34))"
    ),
    "PAPI": r"PAPI|Papi|[Cc]hỉ số [Hh]iệu quả [Qq]uản trị và [Hh]ành chính công",
    # ('bảng xếp hạng năng lực cạnh tranh gần nhất (2011)': a ranking of competitiveness is the PCI's)
    "PCI": r"PCI|Pci|[Cc]hỉ số [Nn]ăng lực [Cc]ạnh tranh(?: cấp tỉnh)?|[Nn]ăng lực cạnh tranh cấp tỉnh|"
           r"(?<=[Bb]ảng xếp hạng )năng lực cạnh tranh",
    "PGI": r"PGI|Pgi|[Cc]hỉ số [Xx]anh(?: cấp tỉnh)?",
}
INDEX_RX = {k: re.compile(rf"(?<!\w)(?:{v})(?!\w)") for k, v in INDEX_NAMES.items()}
# A word (lower case) every name of an index contains one of: a cheap test before the pattern runs.
INDEX_WORDS = {"PAR_INDEX": ("par", "cải cách hành chính", "cchc"), "SIPAS": ("sipas", "hài lòng"),
               "PAPI": ("papi", "hiệu quả"), "PCI": ("pci", "năng lực cạnh tranh"), "PGI": ("pgi", "xanh")}

# a unit named right after these is what the subject passed or compares with, not the subject
OBJECT_BEFORE = re.compile(r"(?:vượt qua|vượt lên(?: trên)?|vượt|qua mặt|thay thế|thay|hơn|so với|soán ngôi|cùng với|"
                           r"bỏ xa|bỏ lại|xếp trên|đứng trên)\s+(?:cả\s+|các tỉnh,?\s+(?:thành(?: phố)?\s+)?|các\s+|tỉnh\s+|"
                           r"thành phố\s+|TP\.?\s*)?$")
# 'đứng đầu ở cả hai bảng xếp hạng', 'quán quân trên cả 4 chỉ số': the rank holds for every index listed next
ALL_OF_AFTER = re.compile(r"^\s*(?:toàn quốc\s+|cả nước\s+)?(?:(?:ở|trên|tại|về)\s+){0,2}cả\s+(?!nước)(?:hai|ba|bốn|năm|\d)?\s*"
                          r"(?:bảng xếp hạng|bảng|chỉ số|Chỉ số|bộ chỉ số)?")
# 'Với 73,40 điểm ..., Quảng Ninh dẫn đầu': a score opening the sentence belongs to the subject after it
WITH_SCORE_BEFORE = re.compile(r"(?:^|[,;:]\s*)[Vv]ới\s+(?:tổng\s+)?(?:số\s+)?(?:điểm\s+(?:số\s+)?(?:tổng hợp\s+)?)?(?:là\s+|đạt\s+)?$")
# rank words that are titles and can stand right before their holder ('á quân Đồng Tháp'), and rank phrases
# that do so in lists ('xếp thứ nhì Bộ Tư pháp', 'đứng thứ 2 tỉnh Thái Nguyên')
RANK_NOUN = re.compile(r"(?:ngôi\s+)?(?:á quân|quán quân)")
RANK_BEFORE_UNIT = re.compile(r"^(?:xếp|đứng)\s+(?:ở\s+)?(?:vị trí\s+)?thứ\s+\S+$")
# 'Ở chỉ số này', 'bảng xếp hạng này': the index just named, in this paragraph or the text before it
INDEX_ANAPHOR = re.compile(r"(?<!\w)(?:[Cc]hỉ số|[Bb]ảng xếp hạng|[Bb]ảng) (?:này|trên|nói trên)(?!\w)")

# Indices and rankings that are not ours: a rank next to these belongs to them.
OTHER_RX = re.compile(
    r"(?<!\w)(?:DTI|[Cc]hỉ số chuyển đổi số|[Cc]huyển đổi số cấp tỉnh|ICT[\s-]?Index|[Cc]hỉ số sẵn sàng|GRDP|CPI|"
    r"IIP|[Cc]hỉ số giá|[Cc]hỉ số sản xuất|[Cc]hỉ số đổi mới sáng tạo|PII|HDI|[Cc]hỉ số phát triển con người|"
    r"[Cc]hỉ số tiếp cận|[Cc]hỉ số ESG|[Ll]ogistics|LPI|POBI|[Cc]hỉ số công khai ngân sách|[Cc]hỉ số minh bạch|"
    r"[Cc]hỉ số an toàn|[Cc]hỉ số hạnh phúc|xuất khẩu|nhập khẩu|thu ngân sách|tăng trưởng kinh tế|tốc độ tăng trưởng|"
    r"thu hút (?:vốn )?(?:đầu tư|FDI)|FDI|giải ngân|V-League|(?<![Xx]ếp )(?<![Đđ]ứng )[Hh]ạng Nhất|[Gg]iải hạng nhất|bóng đá|[Gg]iải đấu|huy chương|"
    r"[Cc]hỉ số PCI cấp sở|DDCI|[Cc]ông an (?:tỉnh|thành phố|các tỉnh)|[Cc]hỉ số năng lực cạnh tranh cấp (?:sở|huyện)|"
    r"[Cc]hỉ số (?:phục vụ người dân|cải cách hành chính) (?:cấp )?(?:huyện|xã|sở)|"
    # the monthly ranking of 2025 on serving people and businesses in procedures and public services (Decision
    # 766/QĐ-TTg): the provinces' ranks out of 34 each month, none of the five indices
    r"[Bb]ộ [Cc]hỉ số (?:chỉ đạo, điều hành (?:và )?đánh giá chất lượng )?phục vụ người dân|"
    r"[Cc]hỉ số phục vụ người dân(?:,| và) doanh nghiệp|"
    r"(?<!\w)về (?:chất lượng )?phục vụ người dân(?:,| và) doanh nghiệp)(?!\w)"
)

# what follows 'thành phố', 'TP.' when the city is not one of the centrally-run cities, which are provinces: a city
# of a province ('TP. Nha Trang'), whose own figures are one district's
NOT_CENTRAL_CITY = r"(?!Hà Nội|Hồ Chí Minh|HCM|Hải Phòng|Đà Nẵng|Cần Thơ|Huế)"

# "Chỉ số CCHC của các sở, ngành", "chỉ số CCHC cấp huyện": a province ranking its own parts.
INTERNAL_AFTER_INDEX = re.compile(
    r"^\s*(?:năm \d{4}\s*)?(?:\(.*?\)\s*)?(?:của\s+)?(?:các\s+)?(?:cơ quan|[Ss]ở|ban,|ban ngành|ngành|huyện|"
    # (not 'của UBND các tỉnh, thành phố trực thuộc Trung ương': the national ranking's own name)
    r"cấp huyện|cấp sở|cấp xã|UBND cấp|UBND các(?!\s+tỉnh)|đơn vị|xã|phường|quận|thị xã|các sở|các huyện|sở, ban)"
)

TOTAL_RX = re.compile(r"(?<!\w)(?:[Tt]ổng điểm|[Đđ]iểm tổng|[Tt]ổng chỉ số|[Cc]hỉ số tổng hợp|[Đđ]iểm tổng hợp)(?!\w)")

# the country's regions by their bare names ('Tây Ninh (Đông Nam Bộ)')
REGION_NAMES = (r"Đông Nam Bộ|Tây Nam Bộ|Nam Trung Bộ|Bắc Trung Bộ|Nam Bộ|Bắc Bộ|Trung Bộ|Đông Bắc|Tây Bắc|Tây Nguyên|"
                r"Đồng bằng sông (?:Hồng|Cửu Long)|ĐBSCL|ĐBSH")

# PCI's sub-indices and PAPI's dimensions, by name
PART_INDEX_NAMES = (
    r"(?:[Gg]ia nhập thị trường|[Tt]iếp cận đất đai|[Tt]ính minh bạch|[Cc]hi phí thời gian|"
    r"[Cc]hi phí không chính thức|[Cc]ạnh tranh bình đẳng|[Tt]ính năng động|(?:[Dd]ịch vụ )?[Hh]ỗ trợ doanh nghiệp|"
    r"[Đđ]ào tạo lao động|[Tt]hiết chế pháp lý|[Kk]iểm soát tham nhũng|[Tt]rách nhiệm giải trình|[Qq]uản trị môi trường|"
    r"[Qq]uản trị điện tử|[Tt]ham gia của người dân|[Cc]ông khai,? minh bạch|[Cc]ung ứng dịch vụ công|"
    r"[Tt]hủ tục hành chính công)")
COMPONENT_RX = re.compile(
    r"(?<!\w)(?:[Ll]ĩnh vực|[Cc]hỉ số thành phần|[Tt]iêu chí(?: thành phần)?|[Nn]ội dung thành phần|[Cc]hỉ số nội dung|"
    r"[Tt]rục nội dung|[Nn]ội dung (?:số )?\d|"
    r"[Đđ]iểm thẩm định|[Đđ]iểm đánh giá,? thẩm định|[Đđ]iều tra xã hội học|[Đđ]iểm điều tra|"
    r"[Tt]ác động của (?:công tác )?(?:cải cách hành chính|CCHC)|"
    # PCI's sub-indices and PAPI's dimensions ('Chỉ số Gia nhập thị trường ... xếp thứ 4'): parts, not the index
    # (the part's name may be quoted: 'chỉ số "Kiểm soát tham nhũng trong khu vực công"')
    rf"(?:[Cc]hỉ số|[Nn]ội dung|[Đđ]iểm|[Tt]rục)\s+(?:thành phần\s+)?(?:về\s+)?[\"“‘'«]?{PART_INDEX_NAMES}|"
    # SIPAS's parts: 'Chỉ số Hài lòng của người dân đối với việc xây dựng, tổ chức thực hiện chính sách', '... với
    # việc cung ứng dịch vụ hành chính công' (not the index's own name, '... đối với sự phục vụ của cơ quan ...')
    r"[Cc]hỉ số [Hh]ài lòng (?:của người dân(?:\s*(?:,|và)\s*tổ chức)?\s+)?(?:đối với|với|về) (?:việc\s+\w+|công tác|xây dựng|"
    r"tổ chức thực hiện|cung ứng|tiếp cận|thủ tục|công chức|kết quả|tiếp nhận))(?!\w)"
)
AREA_INDEX_RX = re.compile(r"(?<!\w)[Cc]hỉ số cải cách (thủ tục hành chính|TTHC|thể chế|tổ chức bộ máy|công vụ|"
                           r"tài chính công)(?!\w)")
COMPONENT_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"chỉ đạo,? điều hành", re.I), "area_direction"),
    (re.compile(r"thể chế", re.I), "area_institutions"),
    (re.compile(r"thủ tục hành chính|TTHC", re.I), "area_procedures"),
    (re.compile(r"tổ chức bộ máy", re.I), "area_organization"),
    (re.compile(r"công chức|công vụ|đội ngũ", re.I), "area_civil_service"),
    (re.compile(r"tài chính công", re.I), "area_finance"),
    (re.compile(r"chính quyền điện tử|chính quyền số|chính phủ điện tử|chính phủ số|hiện đại h[óo]a", re.I),
     "area_e_government"),
    (re.compile(r"tác động", re.I), "area_impact"),
]
PART_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"thẩm định", re.I), "appraisal"),
    (re.compile(r"điều tra xã hội học|điểm điều tra", re.I), "survey"),
    (re.compile(r"^tác động", re.I), "impact"),
]

YEAR_RX = re.compile(r"(?<![\d/.:\-–])((?:19|20)\d{2})(?![\d/]|\s*[-–]\s*(?:19|20)\d{2})")
PERIOD_RX = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")
DATE_RX = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:19|20)\d{2}|\d{1,2}/\d{1,2}(?!\d)")
SINCE_BEFORE = re.compile(r"(?:từ|kể từ|tính từ|bắt đầu từ)\s+(?:năm\s+)?$", re.IGNORECASE)
# 'Tính từ khi PCI bắt đầu được công bố năm 2005, đây là năm thứ tư liên tiếp ...': the year a span began, told in a
# 'từ khi' clause, is not the year of the result the sentence goes on to
SINCE_CLAUSE_BEFORE = re.compile(r"(?<!\w)(?:(?:kể|tính)\s+)?từ\s+(?:khi|lúc)\s[^.;,:()]{0,45}?\s(?:năm\s+)?$", re.IGNORECASE)
# 'so với năm 2022', 'so với PAPI năm 2022', 'so với chỉ số PCI 2022': the year compared with, not the figure's
# ('mốc so sánh là năm 2015': the year compared with, named as the baseline)
# ('Đặt cạnh PAPI năm 2022, ... lùi 17 bậc', 'đối chiếu với năm 2019': the same comparison in other words)
COMPARE_BEFORE = re.compile(r"(?:so với|so cùng kỳ|(?<!\w)so|hơn|(?<!nếu )như|bằng|mốc so sánh(?:\s+là)?|năm gốc(?:\s+là)?|"
                            r"so sánh với|[Đđ]ặt cạnh|[Đđ]ối chiếu với|đem so với)\s+"
                            r"(?:cùng kỳ\s+|(?:(?:bảng\s+)?kết quả|(?:bảng\s+)?xếp hạng|thứ hạng|điểm số|vị trí) (?:của\s+)?)?"
                            r"(?:(?:chỉ số\s+)?(?:PAPI|PCI|PGI|SIPAS|PAR\s*INDEX|CCHC)\s+)?(?:năm\s+)?$", re.IGNORECASE)
TARGET_BEFORE = re.compile(r"(?:đến|tới|trước|giai đoạn|nhiệm kỳ|tầm nhìn)\s+(?:năm\s+)?$", re.IGNORECASE)
# 'đặt mục tiêu tăng điểm số PCI năm 2022 đạt khoảng 68,9 điểm': a year the clause aims at (when not yet past)
TARGET_CLAUSE_BEFORE = re.compile(r"(?:mục tiêu|phấn đấu|chỉ tiêu)[^.;,()]{0,45}$", re.IGNORECASE)
RELATIVE_YEAR_RX = re.compile(r"(?<!\w)(?:[Nn]ăm nay|[Nn]ăm qua|[Nn]ăm vừa qua)(?!\w)")

SCORE_RX = re.compile(
    rf"(?<![\w.,/])({NUM})\s*(?:(điểm|%)|(/\s*(?:100|80|60))(?:\s*điểm)?)(?!\w)"
    # 'tổng điểm là 26', 'với chỉ số 93,31' (an index value written bare, with its decimals)
    # 'với số điểm 73,02', 'điểm số là 71,25', 'Điểm PCI cao nhất là 72,95 (Quảng Ninh)'
    rf"|(?:(?<=tổng điểm )(?:là |đạt )?|(?:(?<=chỉ số )|(?<=số điểm )|(?<=điểm số )|(?<=cao nhất là )|(?<=thấp nhất là ))"
    rf"(?:là |đạt )?(?=\d{{2}}[,.]\d))({NUM})(?![\d,.]?\d)(?=[\s,;.)])"
    rf"(?!\s*(?:điểm|%|/))"
)
NOT_SCORE_AFTER = re.compile(r"^\s*(?:cầu|phần trăm|trung bình|đến|sáng|nhấn|mới|yếu|nghẽn|nóng|chuẩn|số|thi|đỗ)(?!\w)")
NOT_SCORE_BEFORE = re.compile(
    r"(?:tăng|giảm|cao hơn|thấp hơn|hơn|chênh lệch|chênh|tăng thêm|kém|cách|thêm|trung bình|bình quân|tối đa|"
    r"tối thiểu|ngưỡng|trên|dưới|từ|khoảng|gần|hụt|mất|cộng|trừ|lên|xuống|vượt|chỉ tiêu|mục tiêu|tụt|đạt trên|"
    # ('tự chấm 97,5 điểm': a self-assessed score, before the appraisal, not the index's)
    r"đạt dưới|[Tt]hang điểm|thang|t[ỷỉ] lệ|chiếm|tương đương|khoảng cách|tăng trưởng|tốc độ|tự chấm|tự đánh giá)\s*(?:\S+\s+){0,1}$"
    r"|(?:tăng|giảm|cao hơn|thấp hơn|hơn|chênh lệch|kém)\s+(?:\S+\s+){0,2}\($"
    r"|(?:tối đa|tối thiểu|[Tt]hang điểm)[^,.;()]{0,30}\s(?:là|bằng|gồm)\s+$"  # 'Tổng điểm tối đa của PGI là 40 điểm'
    # 'Mỗi nội dung tối đa 10 điểm, cả chỉ số là 40 điểm', 'tổng cộng 100 điểm': the whole scale after its parts'
    r"|(?:cả chỉ số|toàn chỉ số|cả bộ chỉ số|tổng cộng|cộng lại)\s+(?:là\s+|bằng\s+|được\s+|có\s+)?$"
    r"|(?:trên|/)\s*tổng (?:số\s+)?(?:\S+\s+)?$"  # 'đạt hơn 43,9 trên tổng số 80 điểm': the scale
    r"|[<>≥≤]=?\s*$"  # 'đạt kết quả chỉ số >90%': a threshold
    # 'tăng mạnh nhất với 2,5 điểm', 'giảm nhiều nhất là 2,94%': the largest change, not a score
    r"|(?:tăng|giảm|tụt|sụt|cải thiện)\s+(?:mạnh|nhiều|ít|sâu|cao)\s+nhất\s+(?:là\s+|với\s+|đạt\s+)?$"
    r"|(?:kém|hơn|cách|thua|vượt|sau)\s+(?:[^\s,.;()]+\s+){0,4}$"  # (not across '(chỉ sau Quảng Ninh) với')
)

RANK_VERB = r"(?:[Xx]ếp|[Đđ]ứng|giữ|ở|nằm ở|vươn lên|lên|tụt xuống|xuống|tụt|rơi xuống|lùi xuống|leo lên|chiếm|đạt)"
RANK_RX = re.compile(
    rf"(?<!\w)(?:(?:{RANK_VERB}\s+)?(?:ở\s+)?(?:[Vv]ị trí|[Vv]ị thứ|[Tt]hứ hạng|[Hh]ạng|[Xx]ếp hạng)\s+(?:thứ\s+|số\s+)?|"
    # 'tụt xuống thứ 19', 'vươn lên thứ 5', 'về thứ ba': a move or a finish to a place
    rf"(?:[Xx]ếp|[Đđ]ứng|tụt xuống|xuống|vươn lên|leo lên|lên|rơi xuống|lùi xuống|về|còn)\s+thứ\s+|(?:[Xx]ếp|[Đđ]ứng)\s+(?=\d{{1,2}}\s*/\s*(?:63|34|1[6-9])(?!\d))|"  # 'đứng 27/63 tỉnh thành'
    rf"(?<=[\s(])thứ\s+(?=\d{{1,2}}\s*/\s*\d)|(?<=\()thứ\s+(?=\d{{1,2}}\s*(?:\)|[,;]\s*\d{{1,3}}(?:[.,]\d{{1,3}})?\s*(?:điểm|%)\s*\)))|"
    # 'Thứ 2 là Đà Nẵng, ...' opening a sentence: a place and its holder (a weekday is never 'là' a unit)
    rf"^[Tt]hứ\s+(?=(?:\d{{1,2}}|{ORDINAL_WORD})\s+(?:là|thuộc về)\s))"
    rf"(?P<num>{NUM}|{ORDINAL_WORD}(?!\w)(?!\s+(?:thứ|liên tiếp|liền|nay|qua|trước|ngoái|\d|năm(?!\s+\d)))"
    # a prize-like place with a capital, its holder right after ('vị trí Nhất thuộc về Bộ Tư pháp', 'hạng Ba là ...')
    rf"|(?:Nhất|Nhì|Ba|Tư)(?=\s+(?:là|thuộc về)\s))"
    # the whole number only: 'xếp hạng 63 tỉnh' must not match as 'xếp hạng 6' once '63 tỉnh' is turned away
    r"(?![.,]?\d)(?!\s+(?:tỉnh|địa phương|bộ|cơ quan|đơn vị|bậc)(?!\w))(?!\s+từ\s+(?:dưới|cuối))"  # ('tăng thứ hạng 11 bậc' is a move)  # 'xếp hạng 63 tỉnh, thành phố' counts, it ranks nobody
    rf"(?:\s*/\s*(?P<of>\d{{1,3}}))?"
)
# 'Thừa Thiên Huế thứ tư (89,32 điểm)': an ordinal right after a unit, in a list of ranks
BARE_RANK_RX = re.compile(rf"(?<=\s)thứ\s+(?P<num>\d{{1,2}}|{ORDINAL_WORD})(?!\w)(?!\s+(?:liên tiếp|\d|từ\s+(?:dưới|cuối)))")
FIRST_RX = re.compile(
    r"(?<!\w)(?:[Đđ]ứng đầu|[Dd]ẫn đầu|[qQ]uán quân|[Nn]gôi đầu(?: bảng)?|ngôi vị (?:số 1|quán quân|dẫn đầu)|"
    r"vị trí (?:số 1|số một|dẫn đầu|đầu tiên|cao nhất)|(?:[Xx]ếp|[Đđ]ứng) (?:số 1|số một|hạng nhất|thứ nhất)|"
    r"đầu bảng|top 1|"
    # 'có Chỉ số Xanh (PGI) cao nhất với 26 điểm', 'mức độ hài lòng ... cao nhất cả nước': the index's best
    r"cao nhất(?=\s+(?:với[^\d.;]{0,40}?\d|cả nước|toàn quốc|trong (?:cả nước|63|34)))|"
    # 'Tỉnh đạt điểm cao nhất là Quảng Ninh': the best score's holder after it (not 'tăng điểm cao nhất': a move)
    r"(?<!tăng )(?<!giảm )(?:điểm|điểm số|số điểm|kết quả) cao nhất(?=\s+(?:là|thuộc về)\s)|"
    # 'điểm PAPI 2019 cao nhất thuộc về Bến Tre (46,74 điểm)': the index and its year in between
    r"(?<!tăng )(?<!giảm )(?<=điểm )(?:[A-Z]{3,5}|PAR INDEX)\s+(?:năm\s+)?\d{4}\s+cao nhất(?=\s+thuộc về\s+[A-ZĐ])|"
    # 'Cao nhất là Quảng Ninh (90,61%), sau đó là ...': opening the sentence, the holder right after 'là'
    r"(?:^|(?<=^Trong đó, )|(?<=^Trong đó ))[Cc]ao nhất(?=\s+(?:là|thuộc về)\s+[A-ZĐÂĂÊÔƠƯ])|"
    # 'Điểm PCI năm 2022 cao nhất là 72,95 (Quảng Ninh)': the best score, its holder in the parenthesis after it
    r"(?<=[Đđ]iểm )(?:[A-Z]{3,5}\s+)?(?:năm \d{4}\s+)?cao nhất(?=\s+là\s+\d{2}[,.]\d+\s*\()|"
    # 'Ngân hàng Nhà nước Việt Nam có chỉ số cao nhất', 'là đơn vị có Chỉ số cải cách hành chính cao nhất (95,88%)
    # trong 17 bộ': the index named in between, the score in a parenthesis after
    r"(?<=có )(?:[Cc]hỉ số(?:\s+(?:cải cách hành chính|CCHC|PAR\s?INDEX|Par Index|năng lực cạnh tranh(?: cấp tỉnh)?|"
    r"PCI|PAPI|SIPAS|PGI))?|điểm số|số điểm|kết quả) cao nhất"
    r"(?=\s*(?:\(\s*\d{2}[,.]\d+\s*%?\s*\)\s*)?(?:[,.;:]|$|với|cả nước|toàn quốc|trong (?:cả nước|63|34|\d{2} bộ)))|"
    # 'Ở khối bộ, Bộ Tư pháp có kết quả tốt nhất với 91,9 điểm'
    r"(?<=có )kết quả tốt nhất(?=\s+với\s+\d{2}[,.]\d+\s*(?:điểm|%))|"
    # 'A, B và C lần lượt xếp thứ hạng cao nhất': the places of a list (attribution.respectively numbers them)
    r"(?<=lần lượt )(?:xếp|đứng|đạt|có)\s+(?:thứ hạng|vị trí|kết quả|điểm số|chỉ số)?\s*cao nhất"
    r")(?!\w)"
)
SECOND_RX = re.compile(r"(?<!\w)(?:[áÁ] [qQ]uân|ngôi [áÁ] quân)(?!\w)")  # 'giữ vị trí Á quân là Long An'
LAST_RX = re.compile(
    r"(?<!\w)(?:vị trí cuối bảng|xếp cuối(?: cùng| bảng)?|đứng cuối(?: cùng| bảng)?|cuối bảng|chót bảng|bét bảng|vị trí cuối(?: cùng)?|"
    r"đội sổ|hạng chót|vị trí chót|(?<!tăng )(?<!giảm )(?:điểm|điểm số|số điểm|kết quả) thấp nhất(?=\s+(?:là|thuộc về)\s)|"
    r"(?<=[Đđ]iểm )(?:[A-Z]{3,5}\s+)?(?:năm \d{4}\s+)?thấp nhất(?=\s+là\s+\d{2}[,.]\d+\s*\()|"
    # 'Thấp nhất là Bộ Khoa học và Công nghệ, 78,72 điểm': opening the sentence, the holder right after 'là'
    # (one holder with its score: 'Thấp nhất là Bắc Kạn, Bình Phước và Cao Bằng' names a group)
    r"(?:^|(?<=^Trong đó, )|(?<=^Trong đó ))(?-i:[Tt])hấp nhất(?=\s+(?:là|thuộc về)\s+(?-i:(?:Bộ [^,;.()]{0,50}?|[A-ZĐÂĂÊÔƠƯ](?:(?!\svà\s)[^,;.()]){0,40}?))"
    r"(?:,\s*\d|\s*\(\s*\d|\s+với\s+\d)))(?!\w)",
    re.IGNORECASE  # 'Cuối bảng là Ủy ban Dân tộc' opens a sentence
)
# 'đứng áp chót' (next to last), 'đứng thứ ba từ dưới lên' (third from the bottom): a place counted from the last,
# resolved like 'xếp cuối' once the number ranked is known
FROM_LAST_RX = re.compile(r"(?<!\w)(?:(?:[Xx]ếp|[Đđ]ứng|ở|giữ)\s+)?(?:(?:vị trí|hạng)\s+)?(?:(?P<next>áp chót|kế chót|gần chót)|"
                          r"thứ\s+(?P<num>\d|hai|ba|tư|năm|nhì)\s+từ\s+(?:dưới lên|cuối bảng(?: lên)?|cuối lên|dưới))(?!\w)")
NOT_RANK_BEFORE = re.compile(r"(?:người|lần|năm|kỳ|khóa|khoá|phiên|ngày|đợt|giai đoạn|Đại hội|tháng|quý|lớp|top)\s*$")
# the whole of a unit's peers: every ministry ('khối các bộ, ngành'), every province ('khối các địa phương')
# ('đứng đầu PAR INDEX năm 2023 ở khối này là Bộ Tư pháp': the bloc the sentence just named, its peers)
_PEERS = r" (?:(?:các )?(?:cơ quan )?(?:bộ|địa phương\b|tỉnh, thành)|này(?!\w))"
REGIONAL_AFTER = re.compile(
    rf"^[^.;]{{0,45}}?(?:khu vực|[Vv]ùng|miền|[Tt]ây Nguyên|[Đđ]ồng bằng sông|ĐBSCL|[Nn]am Bộ|[Bb]ắc Bộ|[Tt]rung Bộ|"
    r"[Dd]uyên hải|[Tt]rung du|[Mm]iền núi|các tỉnh (?:phía|miền|trong|khu|vùng|biên giới|Tây|Bắc|Nam)|"
    rf"tỉnh (?:miền|vùng|khu vực)|cụm thi đua|khối(?!{_PEERS})|các thành phố trực thuộc)"
    # 'thứ 3 trong nhóm ...' ranks within a group; ', nằm trong nhóm 15 tỉnh dẫn đầu' after a comma is another clause
    # ('đứng đầu nhóm bộ, ngành', 'khối các địa phương': the whole of the unit's peers, so national)
    # ('xếp thứ 30) và nằm trong nhóm có điểm trung bình cao': a band the unit is in, after the place's parenthesis)
    rf"|^[^.;,)]{{0,45}}?(?<!nằm trong )(?<!thuộc )(?<!vào )nhóm(?!{_PEERS})"
)
# a move within a region: the region named in the same clause as the move ('tăng 1 bậc, từ vị trí thứ 5 lên thứ
# 4 trong vùng TD&MNPB'), before any comma, parenthesis or comparison closes it
REGION_IN_CLAUSE = re.compile(r"^[^.;,()]{0,45}?(?<!so với)(?:khu vực|[Vv]ùng|miền|[Tt]ây Nguyên|[Đđ]ồng bằng sông|ĐBSCL|"
                              r"[Nn]am Bộ|[Bb]ắc Bộ|[Tt]rung Bộ|[Dd]uyên hải|[Tt]rung du|[Mm]iền núi)")
# 'giảm 4 bậc, từ vị trí thứ 1 xuống thứ 5 trong vùng': the move the change counts is within a region
MOVE_IN_REGION_AFTER = re.compile(r"^\s*,?\s*(?:từ\s+(?:vị trí|thứ hạng|hạng)\s+(?:thứ\s+)?\d{1,2}\s+(?:lên|xuống)\s+"
                                  r"(?:vị trí\s+|hạng\s+)?(?:thứ\s+)?\d{1,2}\s+)(?:trong|của|ở)\s+(?:vùng|khu vực|miền)")
REGIONAL_BEFORE = re.compile(
    # (not a PCI band: 'từ vị trí thứ 44, nhóm Trung bình (năm 2018) lên thứ 19')
    r"(?:khu vực|[Vv]ùng|miền|Tây Nguyên|ĐBSCL|các tỉnh [^,.;]{0,30}|cụm thi đua|khối thi đua|"
    r"nhóm(?!\s+(?:Trung bình|Tốt|Khá|Rất tốt|Xuất sắc|Tương đối|Thấp)))[^,.;]{0,25}$"
)
# (not in a parenthesis of another unit's: 'xếp thứ ba, sau Lào Cai (8/63 với 68,75 điểm)')
_NATIONAL_WORDS = r"(?:cả nước|toàn quốc|trong 63|trên 63|/63|trong 34|/34|63 tỉnh|34 tỉnh)"
NATIONAL_AFTER = re.compile(rf"^(?:[^.;(]|\((?=\s*{_NATIONAL_WORDS})){{0,30}}?{_NATIONAL_WORDS}")
# 'đứng đầu 63 tỉnh, thành phố', 'xếp cuối trong 19 bộ': the count right after a word rank
WORD_RANK_OF_AFTER = re.compile(r"^\s*(?:cả nước\s*,?\s*)?(?:trong\s+|trên\s+|của\s+|trong số\s+|/\s*)?(?:tổng số\s+)?"
                                r"(\d{1,3})\s*(?:tỉnh|địa phương|đơn vị|bộ|Bộ|cơ quan)")
RANK_OF_AFTER = re.compile(
    # ('đứng thứ 12 cả nước (trong số 63 tỉnh, thành phố)': the country named first, the count in a parenthesis)
    # ('xếp thứ 13 trên bảng xếp hạng 63 tỉnh, thành phố': the table named before the count)
    r"^\s*(?:(?:cả nước|toàn quốc)\s*,?\s*)?(?:\(?\s*)?(?:trong|trên|trong tổng số|trong số|so với|của|/)\s*(?:tổng số\s+)?"
    r"(?:bảng xếp hạng\s+(?:của\s+)?)?(\d{1,3})\s*"
    r"(?:tỉnh|địa phương|đơn vị|bộ|cơ quan)"
)

UP_WORDS = r"tăng|tăng thêm|vượt|vượt lên|vươn lên|nhảy|thăng|cải thiện|leo|leo lên|lên|tiến|tiến lên|bứt phá"  # 'đã tiến 3 bậc', 'bứt phá 18 bậc'
DOWN_WORDS = r"giảm|tụt|sụt|tụt xuống|rơi|lùi|xuống|tuột|sụt giảm|mất"  # 'mất 3 bậc': lost three places
CHANGE_RX = re.compile(
    # 'tụt tới 15 bậc', 'tụt đến 8 bậc', 'tăng liền 7 bậc', 'tăng được 4 bậc': a word between the verb and the count
    rf"(?<!\w)(?P<dir>{UP_WORDS}|{DOWN_WORDS})\s+(?:thêm\s+|tới\s+|đến\s+|liền\s+|được\s+)?(?:thứ hạng\s+)?(?:\d+(?:,\d+)?\s+điểm\s+và\s+)?"
    rf"(?P<num>\d{{1,3}}|{WORD_NUMBER})\s+"
    r"(?:bậc|hạng|vị trí|bậc xếp hạng|thứ hạng|bậc so)(?!\w)"
)
DOWN_RX = re.compile(rf"^(?:{DOWN_WORDS})$")
# 'So với vị trí thứ 35 của năm 2015, tỉnh đã vượt lên 9 bậc': a move measured from a dated place before it
COMPARED_PLACE_BEFORE = re.compile(r"(?<!\w)[Ss]o với\s+(?:vị trí|thứ hạng|hạng)\s+(?:thứ\s+)?\d{1,2}(?:\s*/\s*\d{2})?\s+"
                                   r"(?:của\s+|trong\s+|vào\s+)?(?:năm\s+)?((?:19|20)\d{2})(?!\d)[^.;]{0,60}$")
COMPARE_YEAR_AFTER = re.compile(r"^[^.;]{0,60}?so với\s+(?:cùng kỳ\s+)?(?:năm\s+)?(?P<y>(?:19|20)\d{2}|trước|ngoái|liền trước)")
PRIOR_RX = re.compile(
    # 'từ vị trí 22 lên 17'; 'tụt xuống thứ 51 so với thứ 36 đạt được trong năm 2011' (a place word after 'so với')
    # ('rời vị trí 63 để vươn lên thứ 56/63': the place left)
    r"(?<!\w)(?:[Tt]ừ\s+(?:vị trí|thứ hạng|hạng|ngôi)?|[Rr]ời(?: khỏi)?\s+(?:vị trí|thứ hạng|hạng)|so với\s+(?:vị trí|thứ hạng|hạng|thứ)(?=\s*(?:thứ\s+)?\d))\s*(?:(?P<first>dẫn đầu|đứng đầu|quán quân|số 1(?!\d)|đầu bảng)|"
    r"(?P<second>á quân)|(?P<last>cuối bảng|cuối cùng|cuối|chót bảng|chót)|"
    r"(?:thứ\s+|số\s+)?(?P<num>\d{1,2})(?![\d.,]\d|\s*(?:%|điểm))(?:\s*/\s*(?P<of>\d{1,3}))?(?!\d)"
    # a count, not a place: 'người dân từ 18 tuổi trở lên' (an age, and 'trở lên' is no move)
    r"(?!\s+(?:tuổi|người|năm tuổi|doanh nghiệp|hộ|lượt|ngày|tháng|giờ|phút|lần|hồ sơ|đơn vị|xã|huyện|chỉ tiêu|tiêu chí|nội dung)(?!\w)))"
)
# a 'từ vị trí X' is a prior rank only beside a movement: '... lên vị trí Y' after it, or 'vươn lên ... từ' before
MOVE_AFTER = re.compile(r"^[^.;]{0,90}?(?:lên|xuống|vươn lên|tụt xuống|leo lên|rơi xuống|lùi xuống)\s")
# ('tăng 18 hạng, xếp hạng 33 từ vị trí 51': a move counted in places before it)
MOVE_BEFORE = re.compile(r"(?:lên|xuống|(?:tăng|giảm|tụt|nhảy|thăng)\s+\d{1,2}\s+(?:bậc|hạng|vị trí|thứ hạng)(?!\w))[^.;]{0,60}$")
# 'từ vị trí 22 lên 17', 'từ hạng 51/63 năm 2021 lên hạng 26/63': what a prior rank moved to, right after it
TRANSITION_TO = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?(?:(?:năm\s+)?(?:19|20)\d{2}\s*)?,?\s*(?:để\s+)?(?:lên|xuống|vươn lên|tụt xuống|leo lên|rơi xuống|lùi xuống)\s+"
                           r"(?:ở\s+)?(?:vị trí|thứ hạng|hạng|top)?\s*(?:thứ\s+|số\s+)?(?P<num>\d{1,2})(?![\d.,]\d|\s*(?:điểm|%))")
# 'từ 87,61% xuống 86,78%', 'từ 62,73 điểm (năm 2014) lên 67,16 (năm 2019)'
SCORE_TRANSITION = re.compile(
    # 'từ 79,69% năm 2016 giảm xuống còn 72,40%': a year may follow the old score, 'còn' the verb
    r"(?<!\w)từ\s+(?:mức\s+)?(?P<a>\d{1,3}[.,]\d{1,3}|\d{1,2})\s*(?P<u1>%|điểm)?\s*(?:\([^()]{0,20}\)\s*)?"
    # ('từ mức 79,69% của năm 2016 xuống chỉ còn 72,40%')
    r"(?:(?:của\s+|trong\s+)?(?:năm\s+)?(?:19|20)\d{2}\s*,?\s*)?"
    r"(?:lên|xuống|tăng lên|giảm xuống|giảm còn|còn)(?:\s+chỉ)?(?:\s+còn)?\s+(?:mức\s+)?(?P<b>\d{1,3}[.,]\d{1,3}|\d{1,2})\s*(?P<u2>%|điểm)?"
    r"(?=[\s,;.)(]|$)"
)
RANK_CONTINUATION = re.compile(rf"\s*(?:\([^()]{{0,30}}\)\s*)?(?:,|và|,\s*và|hoặc|đến)\s*(?:thứ|vị trí thứ|hạng)\s+"
                               rf"(?P<num>\d{{1,2}}|{ORDINAL_WORD})(?!\w)")
# 'Xếp sau Hải Phòng lần lượt là A, B, C' (also after an opening 'Ở khối bộ, '): a sentence with no figure of its
# own that lists the places after a unit's
AFTER_UNIT_OPENING = re.compile(r"^\s*(?:[^,.;]{0,30},\s*)?(?:(?:[Xx]ếp|[Đđ]ứng)\s+)?[Ss]au\s+\S[^,.;]{0,50}?\s+(?:lần lượt\s+)?là\s")
# 'tiếp theo là', 'theo sau là', 'Sau đó là', 'kế đến là': the units after it take the next places in order
ORDER_NEXT = re.compile(r"(?<!\w)(?:[Tt]iếp theo(?: đó)?(?: lần lượt)? là|[Tt]iếp đến(?: lần lượt)? là|[Tt]iếp đến|"
                        # ('kế đến lần lượt: Hải Phòng, Đồng Nai, ...': a colon for 'là')
                        # ('Theo sau, lần lượt, là A, B, C')
                        r"[Tt]heo sau,?(?: lần lượt,?)? là|[Tt]heo sau|[Ss]au đó,?(?: lần lượt,?)? là|[Kk]ế (?:đến|tiếp|sau|đó)(?: lần lượt)? là|"
                        r"[Kk]ế (?:đến|tiếp)(?: lần lượt)?:|[Tt]iếp (?:theo|đến)(?: lần lượt)?:|"
                        r"[Kk]ế tiếp là các tỉnh:?|[Xx]ếp sau(?: lần lượt)? là|(?:[Cc]ác|[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|\d) vị trí (?:tiếp theo|kế đó|kế tiếp)(?: lần lượt)? (?:là|thuộc về))\s+")
# '3 vị trí cao nhất thuộc về A (74,84 điểm), B và C', '3 địa phương dẫn đầu lần lượt là A, B, C', 'Ba vị trí đầu tiên
# trên bảng thuộc về A, B và C': places 1..N,
# when exactly N units are listed
TOP_LIST = re.compile(r"(?<!\w)(?P<n>[2-9]|10|(?i:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười))\s+(?:vị trí|địa phương|tỉnh(?:,\s*thành(?: phố)?)?|"
                      r"đơn vị|bộ(?:, ngành)?)\s+(?:có\s+(?:điểm số|thứ hạng|kết quả|chỉ số)\s+)?(?:đứng\s+|xếp\s+)?"
                      r"(?:cao nhất|dẫn đầu|đứng đầu|đầu bảng|đầu tiên|đầu(?!\w))(?P<mid>[^.;:]{0,60}?)\s+(?:lần lượt là|lần lượt thuộc về|là|thuộc về|gồm có|gồm)"
                      r"\s*:?\s+")
# 'Những địa phương còn lại của top10 (tính theo điểm) là Bình Dương 70,16; ...' (attribution.rest_of_top)
REST_OF_TOP = re.compile(r"(?<!\w)(?:[Nn]hững|[Cc]ác)\s+(?:địa phương|tỉnh(?:,\s*thành(?: phố)?)?)\s+còn lại\s+"
                         r"(?:của|trong)\s+(?:top|tốp|nhóm)\s*(?P<n>\d{1,2})(?!\d)[^.;:]{0,40}?\s(?:là|gồm(?: có)?)\s*:?\s*")
# ('Các vị trí từ thứ hai đến thứ năm lần lượt thuộc về A, B, C và D': places written as words)
_RANGE_NUM = r"\d{1,2}|(?<=thứ )(?:hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)(?!\w)"  # (a word only after 'thứ')
RANK_RANGE = re.compile(rf"(?<!\w)từ\s+(?:vị trí\s+)?(?:thứ\s+)?(?P<a>{_RANGE_NUM})\s+(?:đến|tới)\s+(?:vị trí\s+)?(?:thứ\s+)?(?P<b>{_RANGE_NUM})"
                        r"\s+(?:là|thuộc về|lần lượt là|lần lượt thuộc về)\s+")
# ('A, B, C và D lần lượt đứng từ thứ hai đến thứ năm': the range after the units it places)
RANK_RANGE_AFTER = re.compile(rf"(?<!\w)lần lượt\s+(?:đứng|xếp|giữ)\s+(?:các\s+)?(?:vị trí\s+)?từ\s+(?:vị trí\s+)?(?:thứ\s+)?"
                              rf"(?P<a>{_RANGE_NUM})\s+(?:đến|tới)\s+(?:vị trí\s+)?(?:thứ\s+)?(?P<b>{_RANGE_NUM})(?!\w)")
RANGE_WORDS = {"hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
PRIOR_YEAR_RX = re.compile(r"(?:^|[,;]\s*)(?:[Mm]ột năm trước|[Nn]ăm trước(?: đó)?|[Nn]ăm ngoái|[Nn]ăm liền trước)(?!\w)")
# 'thứ hạng cao nhất từ trước đến nay', 'vị trí cao nhất sau 14 năm': a unit's best ever, not first place
NOT_FIRST_AFTER = re.compile(r"^\s*(?:của (?:tỉnh|thành phố|địa phương)\s*)?(?:từ trước (?:đến|tới) nay|kể từ|sau \d+ năm|"
                             r"trong \d+ năm|trong lịch sử|lịch sử|từ khi|từ năm)")
NOT_FIRST_BEFORE = re.compile(r"so với\s+(?:\S+\s+){0,2}$|(?:tốp|top|[Nn]hóm|Top|Tốp)\s*\d*(?:[^,.;]|(?<=tỉnh),(?=\s*(?:thành|TP))){0,40}$|(?:cả|các|những)\s+\d*\s*(?:địa phương|tỉnh)[^,.;]{0,40}$"
                              r"|(?:[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|[Ss]áu|\d+)\s+(?:địa phương|tỉnh|thành phố|đơn vị|bộ)[^,.;]{0,20}$")
# a count of times before a place ('có 3 lần đứng đầu', 'nhiều lần dẫn đầu'): how often, not which year
TIMES_BEFORE = re.compile(r"(?<!\w)(?P<n>\d{1,2}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|nhiều|vài)\s+lần\s+$")
COUNTED_RUN = r"(?:\d+|hai|ba|bốn|năm|sáu|bảy) năm liền"  # a run of years counted: vague alone, a hold with a year
VAGUE_TIME = re.compile(rf"(?<!\w)(?:nhiều năm|nhiều lần|các năm|những năm|mấy năm|{COUNTED_RUN}|"
                        r"suốt \S+ năm|năm trước đó)(?!\w)")
ESCAPE_BEFORE = re.compile(r"(?:thoát khỏi|rời khỏi|thoát|không còn|không để|tránh|rời)\s+(?:\w+\s+){0,2}$"
                           r"|(?<!\w)(?:[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|\d+|[Cc]ác|[Nn]hững|[Nn]hóm)\s+(?:\w+\s+){0,2}$")
# 'Trong khu vực Đồng bằng sông Cửu Long, Long An ... dẫn đầu': the sentence ranks within a region
# 'đứng đầu ở nhiều chỉ số thành phần', 'dẫn đầu về lĩnh vực ...': first in components, not in the index
# ('đứng vị trí 4/63 khi xét riêng chỉ số thành phần 3 của PGI': the place in a part, named after 'khi xét')
COMPONENT_AFTER = re.compile(r"^\s*(?:(?:cả nước|toàn quốc)\s+)?(?:năm \d{4}\s+)?(?:ở|về|tại|trong|(?:khi\s+)?xét(?:\s+riêng)?)\s+(?:\S+\s+){0,2}?(?:chỉ số thành phần|lĩnh vực|tiêu chí|nội dung|thành phần\s+\d)"
                             # 'đứng đầu toàn quốc ở Dịch vụ hỗ trợ doanh nghiệp': a PCI or PAPI part named after 'ở'/'về'
                             rf"|^\s*(?:(?:cả nước|toàn quốc)\s+)?(?:ở|về)\s+(?:chỉ số\s+)?(?:{PART_INDEX_NAMES}|[Aa]n ninh trật tự)"
                             # 'dẫn đầu 3 trong 8 chỉ số nội dung', 'dẫn đầu 4/10 chỉ số thành phần'
                             r"|^\s*(?:cả\s+|ở\s+)?\d{1,2}\s*(?:/|trong|trên|trong số|trong tổng số)\s*\d{1,2}\s+(?:chỉ số|nội dung|lĩnh vực|tiêu chí|trục)"
                             # 'nắm vị trí số một ở đến 5 chỉ số thành phần', 'dẫn đầu 4 chỉ số thành phần là ...'
                             r"|^\s*(?:ở\s+|tại\s+)?(?:đến\s+|tới\s+|cả\s+)?(?:\d{1,2}|hai|ba|bốn|năm|sáu)\s+(?:chỉ số thành phần|lĩnh vực|nội dung|tiêu chí)")
# 'dẫn đầu cả nước về quyết tâm chống tham nhũng', 'đứng thứ 3 về mức tăng điểm': first in a dimension or a
# measure of its own, not in the index (a place 'về Chỉ số ...', 'về cải cách hành chính' stays the index's)
TOPIC_AFTER = re.compile(r"^\s*(?:cả nước|toàn quốc)?\s*về\s+(?:mặt\s+)?(?:quản trị|chất lượng|số lượng|mức|nỗ lực|"
                         r"quyết tâm|kiểm soát|công khai|trách nhiệm|sự tham gia|tham gia|cung ứng|tính|chi phí|gia nhập|"
                         r"tiếp cận|đào tạo|thiết chế|cạnh tranh|hỗ trợ|tỷ lệ|tốc độ|số hồ sơ)(?!\w)")
# 'Trong bảng xếp hạng của 63 tỉnh, thành phố, Đà Nẵng tiếp tục đứng đầu': the sentence states the count
POPULATION_BEFORE = re.compile(r"(?:[Tt]rong|của|trên|giữa)\s+(?:cả\s+|số\s+|tổng số\s+)?(63|34)\s+(?:tỉnh|địa phương)")
REGIONAL_SCOPE = re.compile(r"^\s*(?:(?:Tính riêng|Riêng|Chỉ tính)\s+(?:trong\s+|ở\s+|tại\s+)?|"
                            r"(?:Trong|Ở|Tại|Xét trong|Trong số các tỉnh|So với|Nếu so với|Xét)\s+(?:riêng\s+)?|"
                            # 'Nếu chỉ so trong vùng trung du ..., X đứng thứ 3', 'Chỉ so sánh với các tỉnh khu vực'
                            # ('Nếu chỉ tính các tỉnh miền Tây, ...': the region's units with no preposition)
                            r"(?:Nếu\s+)?(?:[Cc]hỉ\s+)?(?:[Ss]o sánh|[Ss]o|[Xx]ét|[Tt]ính)(?:\s+riêng)?\s+(?:(?:trong|với|ở|tại|giữa)\s+)?)"
                            # 'Trong 3 tỉnh khu vực Tây Bắc', 'Trong số 13 tỉnh, thành vùng ĐBSCL'
                            r"(?:(?:số\s+)?(?:các|những|\d{1,2})\s+(?:tỉnh|địa phương)(?:,?\s*thành(?: phố)?)?\s+)?"
                            r"(?:trong\s+|thuộc\s+|của\s+)?(?:khu vực|vùng|các tỉnh|miền|[Dd]uyên hải|[Đđ]ồng bằng|[Tt]ây Nguyên|[Tt]rung du|"
                            r"[Đđ]ông Nam Bộ|[Tt]ây Bắc|[Đđ]ông Bắc|[Bb]ắc Trung Bộ|[Nn]am Trung Bộ|ĐBSCL|ĐBSH)"
                            # 'Khu vực Đông Nam Bộ xếp thứ hai với 87,79%': a region the subject of the place
                            r"|^\s*(?:[Kk]hu vực|[Vv]ùng)\s+(?:[A-ZĐ]|ĐB|TD)[^,.;]{0,30}?\s+(?:xếp|đứng|dẫn đầu|có)(?!\w)"
                            # 'Đồng bằng sông Cửu Long có hai đại diện nắm vị trí số một ...': a region opening the sentence
                            r"|^\s*(?:[Đđ]ồng bằng [Ss]ông (?:Cửu Long|Hồng)|ĐBSCL|ĐBSH|[Tt]ây Nguyên|[Dd]uyên hải [^,.;]{0,20}|[Tt]rung du [^,.;]{0,25})\s+có\s"
                            # 'Trong 5 thành phố trực thuộc Trung ương, ...': a group of units ranked among themselves
                            # (also after an opening clause: 'Ở nội dung ..., trong 5 thành phố trực thuộc Trung ương, ...')
                            r"|^(?:[^.;]{0,60}?,\s*)?\s*(?:[Tt]rong|[Ởở]|[Xx]ét trong|[Tt]rong số|[Tt]rong nhóm|[Xx]ét riêng|[Rr]iêng)\s+"
                            r"(?:số\s+)?(?:các\s+|những\s+|\d{1,2}\s+|năm\s+)?thành phố trực thuộc")
# 'Ba tỉnh, thành phố vẫn giữ nguyên vị trí thứ hạng là A xếp thứ nhất; B xếp hạng số 41 và C ...': every place the
# sentence then lists is a unit's unchanged place
GROUP_HOLD = re.compile(r"^\s*(?:Hai|Ba|Bốn|Năm|Sáu|\d{1,2}|Các)\s+(?:tỉnh|địa phương|đơn vị|bộ)(?:,\s*(?:thành phố|thành|ngành))?\s+"
                        r"(?:vẫn\s+)?(?:giữ nguyên|giữ vững|không thay đổi)\s+(?:vị trí|thứ hạng)(?:\s+thứ hạng)?\s*(?:,\s*)?(?:là|gồm)(?!\w)"
                        # 'Giữ nguyên thứ hạng có ba địa phương: A (thứ nhất), B (hạng 41) và C (hạng 58)'
                        r"|^\s*(?:Giữ nguyên|Giữ vững)\s+(?:vị trí|thứ hạng)\s+(?:có|gồm|là)\s+(?:hai|ba|bốn|năm|sáu|\d{1,2})\s+"
                        r"(?:tỉnh|địa phương|đơn vị|bộ)(?:,\s*(?:thành phố|thành|ngành))?\s*:")
# a sentence that goes on with the order the sentence before began ('Đứng thứ hai là Hà Nội', 'Thứ ba là ...'):
# among the units that sentence ranked
ORDER_CONTINUES = re.compile(r"^\s*(?:(?:Đứng|Xếp)\s+(?:ở\s+)?(?:vị trí\s+)?thứ\s+(?:hai|ba|tư|nhì|[2-4])\b"
                             r"|Thứ\s+(?:hai|ba|tư|nhì)\s+là|Vị trí thứ\s+(?:hai|ba|tư|nhì|[2-4])\b)")
# from here on the sentence is about a province's own districts, communes or departments
# ... and a ranking within the province ('đơn vị dẫn đầu toàn tỉnh với 95,86 điểm', 'UBND huyện X')
INTERNAL_SCOPE = re.compile(r"(?<!\w)(?:cấp (?:quận|huyện|xã|sở)|các (?:sở|huyện|xã|quận)|sở, ban, ngành|"
                            # ('21 cơ quan chuyên môn thuộc UBND tỉnh, 5 vị trí đứng đầu ...', 'đơn vị ngành dọc')
                            r"cơ quan chuyên môn|(?:đơn vị|cơ quan) ngành dọc|đơn vị sự nghiệp|"
                            r"khối (?:sở|huyện|xã|[Vv]ụ|[Cc]ục|[Tt]ổng cục)|các (?:[Vv]ụ|[Tt]ổng cục)(?:,|\s+(?:và|thuộc))|đơn vị (?:thuộc|trực thuộc) Bộ|(?:dẫn đầu|đứng đầu|đầu bảng|xếp cuối|đứng cuối) (?:toàn|trong|của) tỉnh|"
                            r"UBND (?:huyện|thị xã|quận))(?!\w)")
# 'đứng đầu các sở, ban, ngành là Văn phòng UBND tỉnh', 'dẫn đầu khối huyện': a place among the province's own
# departments or districts, named right after the place word
INTERNAL_AFTER_RANK = re.compile(r"^\s*(?:trong\s+|của\s+|ở\s+)?(?:(?:các|khối|nhóm|nhóm các)\s+(?:sở|huyện|xã|quận|phường|"
                                 r"cơ quan chuyên môn|đơn vị (?:cấp|thuộc|trực thuộc))|cấp (?:sở|huyện|xã))(?!\w)")
# '... tiến lên vị trí thứ 1 trong bảng Chỉ số CCHC năm 2022 ở khối UBND cấp huyện': the block ranked named later in
# the clause
INTERNAL_LATER_IN_CLAUSE = re.compile(r"[^,;.]{0,90}?(?:ở|trong|của)\s+khối\s+(?:UBND\s+)?(?:cấp\s+)?(?:huyện|xã|sở)(?!\w)")
# 'mức độ hài lòng' alone may be a province's own survey; the index is named or ranked
SIPAS_GENERIC = re.compile(r"^(?:[Mm]ức độ hài lòng|[Tt][ỷỉ] lệ hài lòng|[Ss]ự hài lòng của người dân)$")
MULTI_YEAR_SPAN = re.compile(r"(?:[Ss]au|[Tt]rong|[Qq]ua|[Ss]uốt)\s+(?:\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|nhiều|vài)\s+năm")
HOLD_RX = re.compile(
    # 'giữ vị trí thứ 19/63' (no 'vững'/'nguyên') says where a unit stands, not that it stayed there, and so does
    # 'tiếp tục giữ vị trí'; with 'vững'/'nguyên' it stayed, 'vẫn' or 'tiếp tục' before it or not ('để giữ vững': a goal)
    rf"(?<!\w)(?:(?<!để )giữ (?:vững |nguyên )(?:vị trí|ngôi|thứ hạng|vị thế)|"
    # ('lần đầu giữ vị trí đầu bảng': the first time, so not held the year before)
    rf"(?<!tiếp tục )(?<!vẫn )(?<!để )(?<!lần đầu )(?<!lần đầu tiên )giữ (?:vị trí|ngôi|thứ hạng|vị thế)(?!\s+(?:thứ\s+|số\s+)?\d|\s+số một)|"
    # ('lần thứ năm liên tiếp NHNN đứng đầu': the fifth time running, a yearly ranking's fifth year)
    rf"(?:năm|lần) thứ (?:\d+|tư|{WORD_NUMBER}) liên tiếp|(?:\d+|{WORD_NUMBER}) năm (?:liên tiếp|liền)|liên tiếp \d+ năm|"
    # 'vẫn ở vị trí thứ 8 như năm trước', 'lại đứng đầu bảng như năm trước': the same place as the year before
    rf"(?:(?<=\d )|(?<=đầu )|(?<=đầu bảng )|(?<=cuối bảng ))như (?:năm trước|năm ngoái|kỳ trước))(?!\w)"
)
# 'đứng thứ 2 tỉnh Thái Nguyên': right after a place, its holder named with 'tỉnh' or 'thành phố'
CLASSIFIED_AFTER = re.compile(rf"\s+(?:tỉnh|thành phố|TP\.?|là(?:\s+(?:tỉnh|thành phố|TP\.?))?)\s*[{UPPER}]")
# (and a requirement: 'điểm số tối thiểu để nằm trong TOP 10 phải đạt 65.09 điểm')
TARGET_RX = re.compile(r"(?<!\w)(?:[Pp]hấn đấu|[Mm]ục tiêu|[Cc]hỉ tiêu|đặt ra|[Dd]ự kiến|[Kk]ỳ vọng|[Hh]ướng tới|[Qq]uyết tâm đưa|"
                       r"phải đạt|cần đạt)(?!\w)")
# 'Còn vị trí thứ 7 năm 2017 phải đạt 65.41 điểm': the place is what the requirement is for, nobody's rank
REQUIREMENT_AFTER = re.compile(r"^[^.;,]{0,40}?\b(?:phải đạt|cần đạt)(?!\w)")
# 'đứng ngay sau Bình Dương', 'chỉ đứng sau Quảng Ninh': one place below a unit whose rank the page states
BEHIND_RX = re.compile(r"(?<!\w)(?:chỉ\s+)?(?:đứng|xếp)\s+(?:ngay\s+)?sau\s+(?=\S)|(?<=\()\s*chỉ\s+(?:đứng\s+)?sau\s+(?=\S)")
OTHER_RATE = re.compile(r"hồ sơ|đúng hạn|trước hạn|trực tuyến|giải ngân|tăng trưởng|thanh toán|số hóa|số hoá|"
                        r"kế hoạch|chỉ tiêu|t[ỷỉ] lệ|GRDP|ngân sách|dân số|hộ nghèo|lao động|doanh nghiệp")
# '100% hồ sơ được số hóa', '95% người dân hài lòng': a share of something counted, not an index score
SHARE_OF_AFTER = re.compile(r"^\s*(?:số\s+)?(?:hồ sơ|thủ tục|TTHC|cán bộ|công chức|người|doanh nghiệp|xã|phường|đơn vị|cơ quan|"
                            r"dịch vụ|văn bản|ý kiến|phiếu|kết quả giải quyết)")
# what a survey's respondents said: 'cho biết', 'cho rằng', 'đánh giá', 'hài lòng'
SURVEY_SAYS = re.compile(r"(?<!\w)(?:cho biết|cho rằng|đánh giá|nhận định|phản ánh|khẳng định|đồng ý|được hỏi)(?!\w)")
GENERIC_SUBJECT = re.compile(r"(?:địa phương|đơn vị|cơ quan)\s*$")
GAP_RX = re.compile(r"(?<!\w)(?:[Kk]hoảng cách|[Cc]hênh lệch|[Cc]ách biệt)(?!\w)")
# (not a band: 'thuộc nhóm trung bình', 'nhóm điều hành Trung bình' name the group a unit is in, not an average)
# (nor a band's name: 'nhóm 16 tỉnh thành có chỉ số trung bình cao'; 'trung bình cao hơn', 'cao nhất' are averages)
AVERAGE_RX = re.compile(r"(?<!\w)(?<!nhóm )(?<!nhóm điều hành )(?<!nhóm điều hành khá )(?:[Tt]rung bình|[Bb]ình quân|[Tt]rung vị)(?!\w)"
                        r"(?!\s+(?:cao|thấp|khá)(?!\w)(?!\s+(?:hơn|nhất)))"
                        # 'SIPAS chung của cả nước năm 2024 đạt 83,94%': the country's figure, not a unit's
                        # ('mức hài lòng chung của người dân cả nước (SIPAS) đạt 82,66%': whose, then the country)
                        r"|(?<!\w)(?<!bình quân )(?<!trung bình )(?<!trung vị )chung (?:của |trên )?(?:(?:người dân|người dân, tổ chức|"
                        r"các tỉnh, thành phố|các địa phương|các bộ, ngành)\s+(?:của\s+|trên\s+)?)?(?:cả nước|toàn quốc)(?!\w)")
# Ranking tables' column headers (tables.py, text_tables.py)
TABLE_RANK_HEAD = re.compile(r"xếp hạng|thứ hạng|^hạng|\bhạng\b|vị trí|thứ tự xếp|^rank(?:ing)?s?$", re.I)
TABLE_SCORE_HEAD = re.compile(r"điểm|chỉ số|%|t[ỷỉ] lệ|kết quả|par index|sipas|papi|pci|pgi|\bscores?\b", re.I)
TABLE_UNIT_HEAD = re.compile(r"tỉnh|thành phố|địa phương|đơn vị|bộ|cơ quan|tên", re.I)
TABLE_NOT_RANK_HEAD = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$|khu vực|vùng|nhóm|xếp loại|cụm|khối|trong vùng|tăng|giảm", re.I)
TABLE_NOT_SCORE_HEAD = re.compile(r"tăng|giảm|chênh|thay đổi|so với|thành phần|lĩnh vực|tiêu chí|điểm thẩm định|điều tra", re.I)
