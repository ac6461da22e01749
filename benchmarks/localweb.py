"""A generated local web for the scale benchmark: N article pages over H news sites, served on free ports.

Each site looks like a provincial news portal: a ~100 KB page of chrome (inline scripts, a JSON-LD block, a mega
menu, a sidebar of most-read stories, a footer of links) around the article, a paginated section listing 50
articles a page (newest first, numbered pagination and rel=next), and a robots.txt. About 30% of the articles
state a PAR INDEX figure of the site's province in Vietnamese (consistent across pages: one truth table of
scores and ranks per province and year, with the rank change from the year before); the rest are ordinary local
news with numbers that are not index figures. All text here was written for this benchmark.

Pages carry an ETag and a Last-Modified and answer conditional requests with 304. Everything is generated on the
fly from (site, article number), deterministically, so a second run of the job meets the same web; only the
chrome is kept in memory, so a 50,000-page web costs a few MB to serve.

The server is a small asyncio HTTP/1.1 server with keep-alive (one port per site) meant to run in its own process
(`python benchmarks/localweb.py serve ...`, or `serve_in_process()`), so that the crawler under test and the web
it crawls do not share an interpreter.

    python benchmarks/localweb.py serve --pages 10000 --hosts 10 --registry /tmp/sources.toml
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import sys
import time
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache

PER_LISTING = 50
SECTION = "thoi-su"
LAST_MODIFIED = formatdate(1735689600, usegmt=True)  # 2025-01-01, fixed: a re-run meets the same validators

# Ten provinces of the 63-unit era: (code, name). Site h writes about PROVINCES[h % 10].
PROVINCES = [("20", "Lạng Sơn"), ("22", "Quảng Ninh"), ("87", "Đồng Tháp"), ("38", "Thanh Hóa"),
             ("40", "Nghệ An"), ("48", "Đà Nẵng"), ("75", "Đồng Nai"), ("92", "Cần Thơ"), ("30", "Hải Dương"),
             ("15", "Yên Bái")]
YEARS = range(2013, 2025)

MENU = ["Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa", "Giáo dục", "Y tế", "Thể thao", "Pháp luật",
        "Quốc phòng", "Nông nghiệp", "Du lịch", "Khoa học", "Môi trường", "Đô thị", "Bạn đọc", "Ảnh", "Video",
        "Podcast", "Emagazine"]
HEADLINE_BITS = ["Nông dân", "Thanh niên", "Hội nghị", "Ngành giáo dục", "Bệnh viện tỉnh", "Huyện miền núi",
                 "Doanh nghiệp", "Lực lượng biên phòng", "Hội Phụ nữ", "Công an tỉnh", "Thành phố",
                 "Hợp tác xã", "Ngành y tế", "Sở Giao thông", "Xã nông thôn mới"]
HEADLINE_TAILS = ["ra quân mùa vụ mới", "tổng kết công tác năm", "khánh thành cầu dân sinh", "đón nhận huân chương",
                  "tăng cường phòng chống thiên tai", "triển khai chuyển đổi số", "hưởng ứng ngày hội đọc sách",
                  "mở rộng vùng trồng cây ăn quả", "hỗ trợ hộ nghèo đón Tết", "tập huấn kỹ năng cứu hộ",
                  "đẩy mạnh xúc tiến du lịch", "sửa chữa đường liên xã"]
PARAGRAPHS = [
    "Sáng nay, tại hội trường trung tâm, đại diện lãnh đạo địa phương cùng các sở, ngành đã dự buổi lễ và phát "
    "biểu chỉ đạo. Các đại biểu đánh giá cao sự chủ động của cơ sở trong thời gian qua.",
    "Theo báo cáo, trong {m} tháng đầu năm, toàn huyện đã gieo cấy được {a} ha lúa, đạt {p}% kế hoạch, sản lượng "
    "ước tăng so với cùng kỳ năm trước nhờ thời tiết thuận lợi.",
    "Nhiều hộ dân cho biết năm nay giá bán ổn định hơn, thương lái đến tận vườn thu mua, người trồng yên tâm mở "
    "rộng diện tích và áp dụng quy trình canh tác an toàn.",
    "Dịp này, ban tổ chức đã trao {k} suất quà cho các gia đình có hoàn cảnh khó khăn, mỗi suất trị giá {v}.000 "
    "đồng gồm tiền mặt và nhu yếu phẩm.",
    "Phát biểu tại buổi làm việc, đồng chí Phó Chủ tịch UBND huyện đề nghị các đơn vị tiếp tục rà soát, tháo gỡ "
    "vướng mắc để đẩy nhanh tiến độ các công trình trọng điểm.",
    "Công trình có tổng chiều dài {d} km, được khởi công từ đầu năm và dự kiến hoàn thành trước mùa mưa bão, góp "
    "phần thuận lợi cho việc đi lại và vận chuyển nông sản của bà con.",
    "Ông Nguyễn Văn {n}, một người dân trong thôn, chia sẻ: gia đình ông đã tham gia mô hình được ba năm và thu "
    "nhập tăng rõ rệt so với trước.",
    "Trong năm, lực lượng chức năng đã tổ chức {k} đợt tuyên truyền tại các trường học và khu dân cư, thu hút "
    "hàng nghìn lượt người tham gia.",
    "Để hoạt động đi vào chiều sâu, địa phương sẽ tiếp tục phối hợp với các đoàn thể, vận động người dân cùng "
    "chung tay, coi đây là nhiệm vụ thường xuyên.",
]


@dataclass(frozen=True)
class WebSpec:
    pages: int
    hosts: int
    seed: int = 1
    relevant_share: float = 0.3

    def articles_on(self, host: int) -> int:
        """Articles of site `host`: article numbers host, host+H, host+2H, ... below pages."""
        return len(range(host, self.pages, self.hosts))

    def listings_on(self, host: int) -> int:
        return max(1, -(-self.articles_on(host) // PER_LISTING))

    def province(self, host: int) -> tuple[str, str]:
        return PROVINCES[host % len(PROVINCES)]

    def relevant(self, article: int) -> bool:
        return random.Random(f"{self.seed}/rel/{article}").random() < self.relevant_share


@lru_cache(maxsize=None)
def truth(seed: int) -> dict[tuple[str, int], tuple[float, int]]:
    """(province code, year) -> (score, rank): distinct ranks among the ten provinces each year."""
    rnd = random.Random(f"{seed}/truth")
    out = {}
    for year in range(min(YEARS) - 1, max(YEARS) + 1):
        ranks = rnd.sample(range(1, 64), len(PROVINCES))
        for (code, _), rank in zip(PROVINCES, ranks):
            out[(code, year)] = (round(92.0 - rank * 0.3 + rnd.random(), 2), rank)
    return out


def _fmt_score(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _index_paragraphs(spec: WebSpec, host: int, article: int) -> tuple[str, list[str]]:
    code, name = spec.province(host)
    rnd = random.Random(f"{spec.seed}/fig/{article}")
    year = rnd.choice(list(YEARS))
    score, rank = truth(spec.seed)[(code, year)]
    prior = truth(spec.seed)[(code, year - 1)][1]
    move = (f"tăng {prior - rank} bậc" if prior > rank else f"giảm {rank - prior} bậc" if prior < rank
            else "giữ nguyên vị trí")
    title = f"{name} {move} Chỉ số cải cách hành chính năm {year}"
    style = rnd.randrange(3)
    if style == 0:
        lead = (f"Theo kết quả công bố Chỉ số cải cách hành chính năm {year} (PAR INDEX {year}), tỉnh {name} đạt "
                f"{_fmt_score(score)} điểm, xếp thứ {rank}/63 tỉnh, thành phố, {move} so với năm {year - 1}.")
    elif style == 1:
        lead = (f"Năm {year}, Chỉ số CCHC của {name} đạt {_fmt_score(score)}%, xếp vị trí thứ {rank} trong 63 "
                f"tỉnh, thành phố trực thuộc Trung ương, {move} so với năm trước.")
    else:
        lead = (f"Ban Chỉ đạo cải cách hành chính của Chính phủ vừa công bố PAR INDEX {year}. {name} xếp thứ "
                f"{rank}/63 với tổng điểm {_fmt_score(score)} điểm.")
    more = ("Kết quả này ghi nhận nỗ lực của các cấp, các ngành trong việc đơn giản hóa thủ tục hành chính, đẩy "
            "mạnh dịch vụ công trực tuyến và nâng cao chất lượng phục vụ người dân, doanh nghiệp.")
    return title, [lead, more]


def _ordinary(rnd: random.Random) -> str:
    p = rnd.choice(PARAGRAPHS)
    return p.format(m=rnd.randint(3, 9), a=f"{rnd.randint(1, 9)}.{rnd.randint(100, 999)}", p=rnd.randint(80, 110),
                    k=rnd.randint(12, 300), v=rnd.randint(300, 900), d=f"{rnd.randint(1, 12)},{rnd.randint(1, 9)}",
                    n=rnd.choice(["An", "Bình", "Cường", "Dũng", "Hải", "Minh", "Nam", "Sơn"]))


def _slug(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in t).split())[:80]


@lru_cache(maxsize=4096)
def article_title(spec: WebSpec, host: int, article: int) -> str:
    if spec.relevant(article):
        return _index_paragraphs(spec, host, article)[0]
    rnd = random.Random(f"{spec.seed}/title/{article}")
    return f"{rnd.choice(HEADLINE_BITS)} {spec.province(host)[1]} {rnd.choice(HEADLINE_TAILS)}"


@lru_cache(maxsize=4096)
def article_path(spec: WebSpec, host: int, article: int) -> str:
    return f"/{SECTION}/{_slug(article_title(spec, host, article))}-{100000 + article}.html"


@lru_cache(maxsize=64)
def _chrome(seed: int, host: int, name: str) -> tuple[str, str, str]:
    """(head + header + menu, sidebar + footer) of a site: ~95 KB of what surrounds every page."""
    rnd = random.Random(f"{seed}/chrome/{host}")
    script = "\n".join(
        f"window.__cfg_{i} = {{slot: 'ad-{i}', sizes: [[300, 250], [728, 90]], lazy: true, "
        f"targeting: {{section: '{SECTION}', site: 'site{host}', k: '{rnd.getrandbits(64):x}'}}}};"
        for i in range(230))
    tracker = "".join(f"function t{i}(e){{var d=document.createElement('img');d.src='/px?e='+e+'&i={i}';"
                      f"document.body.appendChild(d);}}\n" for i in range(300))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsMediaOrganization",
                     "name": f"Báo {name}", "url": "/", "sameAs": [f"/mang-xa-hoi/{i}" for i in range(20)]},
                    ensure_ascii=False)
    menu = "".join(
        f'<li class="menu-item"><a href="/{_slug(m)}/">{m}</a><ul class="sub-menu">'
        + "".join(f'<li><a href="/{_slug(m)}/{_slug(s)}/">{s}</a></li>'
                  for s in ("Tin mới", "Sự kiện", "Phóng sự", "Chuyên đề", "Hồi âm", "Góc nhìn"))
        + "</ul></li>" for m in MENU)
    head = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{'.c{margin:0;padding:0}' * 200}</style>"
            f"<script>{script}</script><script>{tracker}</script>"
            f'<script type="application/ld+json">{ld}</script>')
    header = (f'<header class="site-header"><div class="logo"><a href="/">Báo {name}</a></div>'
              f'<nav class="main-menu"><ul>{menu}</ul></nav>'
              f'<div class="search-box"><form action="/tim-kiem/"><input name="q"></form></div></header>')
    cats = "".join(f'<li><a href="/{_slug(m)}/">{m}</a></li>' for m in MENU)
    footer = (f'<footer class="site-footer"><ul class="footer-links">{cats * 3}</ul>'
              f"<p>Cơ quan chủ quản: UBND tỉnh {name}. Giấy phép số {rnd.randint(10, 99)}/GP-BTTTT.</p>"
              f"<p>Địa chỉ tòa soạn: số {rnd.randint(1, 200)} đường Trần Phú, tỉnh {name}.</p>"
              + "".join(f'<div class="partner"><a href="/doi-tac/{i}/"><img src="/img/p{i}.png" alt="Đối tác {i}">'
                        f"</a></div>" for i in range(60))
              + "</footer>")
    return head, header, footer


def _sidebar(spec: WebSpec, host: int, around: int) -> str:
    """Most-read stories: links to other articles of the site, inside the page's chrome."""
    rnd = random.Random(f"{spec.seed}/side/{around}")
    n = spec.articles_on(host)
    picks = [host + spec.hosts * rnd.randrange(n) for _ in range(12)] if n else []
    items = "".join(f'<li class="most-read-item"><a href="{article_path(spec, host, a)}">'
                    f"{article_title(spec, host, a)}</a></li>" for a in picks)
    boxes = "".join(f'<div class="widget widget-{i}"><h3>Chuyên mục {MENU[i]}</h3><ul>'
                    + "".join(f'<li><a href="/{_slug(MENU[i])}/">Xem thêm {MENU[i].lower()}</a></li>'
                              for _ in range(8)) + "</ul></div>" for i in range(10))
    return f'<aside class="sidebar"><div class="most-read"><h3>Đọc nhiều</h3><ul>{items}</ul></div>{boxes}</aside>'


def article_html(spec: WebSpec, host: int, article: int) -> bytes:
    code, name = spec.province(host)
    head, header, footer = _chrome(spec.seed, host, name)
    rnd = random.Random(f"{spec.seed}/body/{article}")
    title = article_title(spec, host, article)
    paras = [_ordinary(rnd) for _ in range(rnd.randint(5, 10))]
    if spec.relevant(article):
        _, figs = _index_paragraphs(spec, host, article)
        paras = figs + paras[:4]
    day = 1 + article % 28
    body = "".join(f"<p>{p}</p>" for p in paras)
    page = (f"{head}<title>{title}</title>"
            f'<link rel="canonical" href="{article_path(spec, host, article)}"></head><body>{header}'
            f'<main class="container"><article class="article-detail"><h1 class="title">{title}</h1>'
            f'<div class="meta"><span class="date">{day:02d}/05/2025 08:{article % 60:02d}</span></div>'
            f'<div class="article-content">{body}</div>'
            f'<div class="tags"><a href="/tag/cai-cach-hanh-chinh/">Cải cách hành chính</a></div></article>'
            f"{_sidebar(spec, host, article)}</main>{footer}</body></html>")
    return page.encode("utf-8")


def listing_html(spec: WebSpec, host: int, k: int) -> bytes:
    """Page k (1-based) of the section: 50 articles, newest (highest number) first."""
    _, name = spec.province(host)
    head, header, footer = _chrome(spec.seed, host, name)
    n, last = spec.articles_on(host), spec.listings_on(host)
    idx = range(n - 1 - (k - 1) * PER_LISTING, max(-1, n - 1 - k * PER_LISTING), -1)
    items = "".join(
        f'<li class="news-item"><a href="{article_path(spec, host, host + spec.hosts * i)}">'
        f"{article_title(spec, host, host + spec.hosts * i)}</a><p class='sapo'>Tin {i} của chuyên mục.</p></li>"
        for i in idx)
    pages = "".join(f'<a href="{_listing_path(j)}">{j}</a>' for j in range(max(1, k - 2), min(last, k + 5) + 1)
                    if j != k)
    nxt = f'<a rel="next" href="{_listing_path(k + 1)}">Trang sau</a>' if k < last else ""
    link_next = f'<link rel="next" href="{_listing_path(k + 1)}">' if k < last else ""
    page = (f"{head}<title>Thời sự - trang {k}</title>{link_next}</head><body>{header}"
            f'<main class="container"><section class="list-news"><h1>Thời sự</h1><ul>{items}</ul>'
            f'<div class="pagination">{pages}{nxt}</div></section>{_sidebar(spec, host, -k)}</main>'
            f"{footer}</body></html>")
    return page.encode("utf-8")


def _listing_path(k: int) -> str:
    return f"/{SECTION}/" if k == 1 else f"/{SECTION}/trang-{k}.html"


ROBOTS = b"User-agent: *\nDisallow: /tim-kiem/\nDisallow: /admin/\n"


def resolve(spec: WebSpec, host: int, path: str) -> tuple[int, bytes, str]:
    """(status, body, content type) of a path on site `host`."""
    if path == "/robots.txt":
        return 200, ROBOTS, "text/plain; charset=utf-8"
    if path == f"/{SECTION}/":
        return 200, listing_html(spec, host, 1), "text/html; charset=utf-8"
    if path.startswith(f"/{SECTION}/trang-") and path.endswith(".html"):
        k = path[len(f"/{SECTION}/trang-"):-5]
        if k.isdigit() and 1 <= int(k) <= spec.listings_on(host):
            return 200, listing_html(spec, host, int(k)), "text/html; charset=utf-8"
    elif path.startswith(f"/{SECTION}/") and path.endswith(".html"):
        num = path[-11:-5]
        if num.isdigit():
            a = int(num) - 100000
            if 0 <= a < spec.pages and a % spec.hosts == host and path == article_path(spec, host, a):
                return 200, article_html(spec, host, a), "text/html; charset=utf-8"
    return 404, b"<html><body>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang</body></html>", "text/html; charset=utf-8"


# -- the server -----------------------------------------------------------------------------------------------------
class _Site(asyncio.Protocol):
    def __init__(self, spec: WebSpec, host: int, stats: dict):
        self.spec, self.host, self.stats, self.buf = spec, host, stats, b""

    def connection_made(self, transport):
        self.t = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            raw, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = raw.decode("latin-1").split("\r\n")
            method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            self._answer(method, target.split("?", 1)[0], headers)

    def _answer(self, method: str, path: str, headers: dict) -> None:
        status, body, ctype = resolve(self.spec, self.host, path)
        extra = ""
        if status == 200:
            etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            extra = f"ETag: {etag}\r\nLast-Modified: {LAST_MODIFIED}\r\n"
            inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
            if (inm and inm == etag) or (not inm and ims == LAST_MODIFIED):
                status, body = 304, b""
        self.stats[status] = self.stats.get(status, 0) + 1
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        head = (f"HTTP/1.1 {status} {reason}\r\nServer: localweb\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1")
        self.t.write(head + (body if method != "HEAD" else b""))


async def _serve(spec: WebSpec, socks: list[socket.socket], stop: asyncio.Event, stats: dict) -> None:
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(lambda h=h: _Site(spec, h, stats), sock=s) for h, s in enumerate(socks)]
    await stop.wait()
    for s in servers:
        s.close()


def _bind(n: int) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(512)
        socks.append(s)
    return socks


def _child(spec: WebSpec, socks, ready, stats_out) -> None:
    stats: dict = {}
    stop = asyncio.Event()

    async def main():
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        ready.set()
        await _serve(spec, socks, stop, stats)

    asyncio.run(main())
    stats_out.put(stats)


class LocalWeb:
    """The generated web served by a child process; `with LocalWeb(spec) as web:` ... `web.urls`."""

    def __init__(self, spec: WebSpec):
        self.spec = spec
        self.socks = _bind(spec.hosts)
        self.urls = [f"http://127.0.0.1:{s.getsockname()[1]}" for s in self.socks]
        ctx = mp.get_context("fork")
        self.ready, self.stats_q = ctx.Event(), ctx.Queue()
        self.proc = ctx.Process(target=_child, args=(spec, self.socks, self.ready, self.stats_q), daemon=True)
        self.stats: dict = {}

    def __enter__(self):
        self.proc.start()
        for s in self.socks:
            s.close()  # the child holds them now
        self.ready.wait(30)
        return self

    def __exit__(self, *exc):
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.stats = self.stats_q.get(timeout=10)
        except Exception:
            pass
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()

    def registry_text(self, concurrency: int = 8, min_delay_s: float = 0.0, **crawl) -> str:
        extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in crawl.items())
        out = [f"[crawl]\nper_host_concurrency = {concurrency}\nmin_delay_s = {min_delay_s}\ntimeout_s = 30\n"
               f"max_retries = 2\n{extra}"]
        for h, url in enumerate(self.urls):
            out.append(f'\n[[source]]\nid = "site{h:02d}"\nprovince_code = "{self.spec.province(h)[0]}"\n'
                       f'start_urls = ["{url}/{SECTION}/"]\nallowed_domains = ["127.0.0.1"]\n'
                       f"max_listing_pages = {self.spec.listings_on(h) + 10}\n"
                       f"max_articles = {self.spec.articles_on(h) + 10}\n")
        return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="serve the web until Ctrl-C")
    s.add_argument("--pages", type=int, default=1000)
    s.add_argument("--hosts", type=int, default=10)
    s.add_argument("--registry", help="write a source registry for it here")
    args = ap.parse_args()
    spec = WebSpec(args.pages, args.hosts)
    with LocalWeb(spec) as web:
        if args.registry:
            with open(args.registry, "w", encoding="utf-8") as f:
                f.write(web.registry_text())
        for u in web.urls:
            print(u, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    sys.exit(main())
