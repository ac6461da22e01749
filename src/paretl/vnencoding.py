"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI, still found on old provincial pages.

Before Unicode, Vietnamese text was typed in 8-bit "font encodings": the bytes are ordinary Latin-1/Windows-1252
characters that a special font (".VnTime", "VNI-Times") draws as Vietnamese letters. A browser without the font
shows "ChØ sè c¶i c¸ch hµnh chÝnh" (TCVN3) or "Chæ soá caûi caùch haønh chính" (VNI); to a program the words
are gone. Both encodings are converted here to Unicode (NFC), from their definitions:

- TCVN3 (TCVN 5712:1993, the "ABC" fonts) gives every lower-case letter with its marks one byte in 0xA1-0xFE;
  capitals with tone marks had no code (a separate capitals font drew the lower-case codes), so they come out in
  lower case.
- VNI writes a base letter followed by a byte for its marks (a + 0xF9 = á, a + 0xE1 = ấ, o + 0xE2 = ô, ...), and
  gives a byte of their own to đ, ơ, ư and the marked i's and ỵ.

No library on the package registry does this, so the tables are written out below. A page mixes encodings more
often than not (a Unicode menu around an old article pasted in), so each run of text between two tags is judged
and converted on its own, and only where legacy characters show (words no Unicode Vietnamese text has).
"""

from __future__ import annotations

import re
import unicodedata

# -- TCVN3 ------------------------------------------------------------------------------------------------------
# byte -> letter. Rows: the plain letters with a shape mark, then per vowel its five tones (huyền, hỏi, ngã, sắc,
# nặng) in the order the standard lays them out.
_TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_TABLE = {b: ch for b, ch in _TCVN3.items()}  # Latin-1 reading: code point == byte
# The same bytes read as Windows-1252 (the usual declared charset) are the same code points above 0x9F.

# Characters that TCVN3 text shows and Unicode Vietnamese text never has: the symbols of 0xA1-0xBF and the
# capitals used as lower-case letters inside words.
_TCVN3_SIGNS = set(chr(b) for b in _TCVN3 if b < 0xC0) - {"\u00ad"}
_TCVN3_INNER_CAPS = set("ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞ")

# -- VNI --------------------------------------------------------------------------------------------------------
# The mark bytes that follow a base letter, lower case (after a lower-case base) and upper case.
_VNI_TONE = {  # tone alone
    "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "Ø": "\u0300", "Ù": "\u0301", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323",
}
_VNI_CIRC = {  # circumflex (on a, e, o), with or without a tone
    "â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323",
    "Â": "", "À": "\u0300", "Á": "\u0301", "Å": "\u0309", "Ã": "\u0303", "Ä": "\u0323",
}
_VNI_BREVE = {  # breve (on a), with or without a tone
    "ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323",
    "Ê": "", "È": "\u0300", "É": "\u0301", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323",
}
# Letters with a byte of their own
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "Ì": "Ì", "Í": "Í", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}
_VNI_SIGNS = set("øûïñöæîüëåäØÛÏÑÖÆÎÜËÅÄ")
_VNI_PAIR = re.compile(
    "([aAeEoOuUyYiI])([" + re.escape("".join(set(_VNI_TONE) | set(_VNI_CIRC) | set(_VNI_BREVE))) + "])"
    "|([ôÔöÖ])([" + re.escape("".join(_VNI_TONE)) + "])"
    "|([" + re.escape("".join(_VNI_SINGLE)) + "])")

_FONT_HINT = re.compile(r"""(?i)font-family\s*:\s*['"]?\s*(\.vn[a-z]|vni[ -])|face\s*=\s*['"]?\s*(\.vn[a-z]|vni[ -])""")
_WORD = re.compile(r"\S+")
_VI_UNICODE = re.compile("[\u1ea0-\u1ef9ăĂơƠưƯđĐ]")


def _vni_sub(m: re.Match) -> str:
    base, mark, sbase, smark, single = m.groups()
    if single:
        return _VNI_SINGLE[single]
    if sbase:  # ơ or ư with a tone
        return unicodedata.normalize("NFC", _VNI_SINGLE[sbase] + _VNI_TONE[smark])
    low = base.lower()
    if mark in _VNI_CIRC and low in "aeo":
        return unicodedata.normalize("NFC", base + "\u0302" + _VNI_CIRC[mark])
    if mark in _VNI_BREVE and low == "a":
        return unicodedata.normalize("NFC", base + "\u0306" + _VNI_BREVE[mark])
    if mark in _VNI_TONE:
        return unicodedata.normalize("NFC", base + _VNI_TONE[mark])
    return m.group(0)  # not a VNI pair (an e followed by é, say): left as it is


# Lower-case Latin-1 letters that TCVN3 uses for Vietnamese ones and Unicode Vietnamese never writes (ø is ứ,
# ö is ử, ñ is ủ, ...); VNI uses some of them too, so they only count once a page is known to be TCVN3.
_TCVN3_LETTERS = set("øöüûþïñëîäåæçß÷")


def _tcvn3_word(w: str, broad: bool = False) -> bool:
    if any(ch in _TCVN3_SIGNS for ch in w) or (broad and any(ch in _TCVN3_LETTERS for ch in w)):
        return True
    # a capital with marks inside a word, beside a lower-case letter: 'chÝnh', 'ChØ', 'TØnh' (in Unicode text such
    # a capital begins a word, or stands among capitals: 'Ánh', 'THÀNH')
    return any(b in _TCVN3_INNER_CAPS and (w[i].islower() or (i + 2 < len(w) and w[i + 2].islower()))
               for i, b in enumerate(w[1:]))


def _vni_word(w: str) -> bool:
    return any(ch in _VNI_SIGNS for ch in w) or bool(re.search("[aeouy][ùõâêàáãèéú]", w))


def score(text: str) -> tuple[int, int, int]:
    """(words with TCVN3 signs, words with VNI signs, words with Unicode Vietnamese letters)."""
    t = v = u = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        if _VI_UNICODE.search(w):
            u += 1
        elif _tcvn3_word(w):
            t += 1
        elif _vni_word(w):
            v += 1
    return t, v, u


# Frequent letters of each encoding that Unicode Vietnamese never writes (TCVN3: à ả á ạ đ; VNI: đ, ỉ, a grave
# and a hook mark): counting them is a few fast scans, and pages without them are not read further.
_QUICK = "µ¶¸¹®ñæøû"


def maybe_legacy(text: str) -> bool:
    return sum(text.count(c) for c in _QUICK) >= 3


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None: which legacy encoding a text (or page) is written in, if any."""
    if not maybe_legacy(text):
        return None
    hint = _FONT_HINT.search(text)
    t, v, u = score(text)
    if hint:
        font = (hint.group(1) or hint.group(2)).lower()
        guess = "tcvn3" if font.startswith(".vn") else "vni"
        if (t if guess == "tcvn3" else v) >= 2:
            return guess
    if max(t, v) >= 3 and max(t, v) >= u // 2:
        return "tcvn3" if t >= v else "vni"
    return None


def convert(text: str, encoding: str) -> str:
    """A text in TCVN3 or VNI, in Unicode (NFC). Characters outside the encoding's table are kept."""
    if encoding == "tcvn3":
        out = text.translate(_TCVN3_TABLE)
    elif encoding == "vni":
        out = _VNI_PAIR.sub(_vni_sub, text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", out)


_TAGS = re.compile(r"(<(?:script|style)\b.*?</(?:script|style)\s*>|<[^>]*>)", re.IGNORECASE | re.DOTALL)


def to_unicode(html_or_text: str) -> tuple[str, str | None]:
    """(text with its legacy runs converted, the encoding found or None). Only the runs of text between tags
    that show the encoding's signs are converted: the markup, scripts and Unicode runs are left alone."""
    encoding = detect(html_or_text)
    if encoding is None:
        return html_or_text, None
    is_legacy = (lambda w: _tcvn3_word(w, broad=True)) if encoding == "tcvn3" else _vni_word
    signs = _TCVN3_SIGNS if encoding == "tcvn3" else _VNI_SIGNS
    parts = _TAGS.split(html_or_text)
    changed = 0
    for i in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        run = parts[i]
        if run.isascii():
            continue
        words = [w for w in _WORD.findall(run) if not w.isascii() and len(w) > 1]
        legacy = [w for w in words if not _VI_UNICODE.search(w) and is_legacy(w)]
        # at least one word with a character no Unicode Vietnamese has ('hoà' alone is not VNI for 'hồ')
        strong = any(ch in signs for w in legacy for ch in w) or encoding == "tcvn3"
        if legacy and strong and len(legacy) * 2 >= len(words):
            parts[i] = convert(run, encoding)
            changed += 1
    return "".join(parts), (encoding if changed else None)
