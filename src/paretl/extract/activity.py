"""Reform activity figures: dossiers, staff cuts, legal documents, e-office, mailboxes, certificates, inspections.

Each figure takes its level (cấp tỉnh / huyện / xã) from the nearest level word before it in the sentence and
its year from the sentence, the paragraph or the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paretl.extract.numbers import MalformedNumber, parse_decimal, parse_int

N = r"(\d[\d.,]*\d|\d)"


@dataclass
class Activity:
    metric: str
    value: float
    unit: str
    level: str | None
    evidence: str
    total: float | None = None


_LEVEL = re.compile(r"(?<!\w)cấp (tỉnh|huyện|xã)(?!\w)")
_LEVELS = {"tỉnh": "province", "huyện": "district", "xã": "commune"}
_LEVELLED = {"dossiers_received", "dossiers_resolved", "on_time_rate", "online_services"}

# (metric, counted unit, pattern); the first group is the value, an optional second a total.
_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("dossiers_received", "dossiers",
     re.compile(rf"tiếp nhận\s+(?:tổng số\s+|tổng cộng\s+|được\s+)?{N}\s+hồ sơ|hồ sơ (?:được\s+)?tiếp nhận (?:là|đạt)\s+{N}")),
    ("dossiers_resolved", "dossiers",
     re.compile(rf"(?:đã\s+)?giải quyết\s+(?:được\s+)?(?:xong\s+)?{N}\s+(?:hồ sơ|thủ tục|TTHC)")),
    ("on_time_rate", "percent",
     re.compile(rf"(?:đúng hạn|trước hạn|đúng và trước hạn)[^.;%]{{0,40}}?(?:đạt|là|chiếm)\s+(?:tỷ lệ\s+)?{N}\s*%")),
    ("staff_reduction", "people",
     re.compile(rf"tinh giản\s+(?:biên chế\s+)?(?:đối với\s+|được\s+|cho\s+)?{N}\s+(?:người|biên chế|trường hợp)")),
    ("legal_documents", "documents",
     re.compile(rf"ban hành\s+(?:được\s+)?{N}\s+văn bản\s+(?:quy phạm pháp luật|QPPL)")),
    ("online_services", "services",
     re.compile(rf"(?:cung cấp|có|triển khai)\s+{N}\s+dịch vụ công trực tuyến")),
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


def extract_activities(sentence: str, warnings: list[str]) -> list[Activity]:
    out = []
    for metric, unit, rx in _RULES:
        for m in rx.finditer(sentence):
            numbers = [g for g in m.groups() if g is not None]  # alternatives number their groups apart
            try:
                value = parse_decimal(numbers[0]) if unit == "percent" else float(parse_int(numbers[0]))
                total = float(parse_int(numbers[1])) if len(numbers) > 1 else None
            except MalformedNumber as exc:
                warnings.append(f"skipped {metric}: {exc}")
                continue
            if unit == "percent" and not 0 <= value <= 100:
                continue
            # the level a figure is about: the nearest 'cấp tỉnh/huyện/xã' before it, else the province as a whole
            level = "province"
            if metric in _LEVELLED:
                levels = [lv for lv in _LEVEL.finditer(sentence) if lv.start() < m.start()]
                if levels:
                    level = _LEVELS[levels[-1].group(1)]
            elif metric == "e_office_units":
                level = "commune"
            out.append(Activity(metric, value, unit, level, sentence.strip(), total))
    return out
