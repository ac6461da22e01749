"""Ways into a site and the relevance gate, on local webs written for these tests (real HTTP on 127.0.0.1):
a site reachable only through its sitemap, one only through its RSS feed, one only through its search; the gate
turns unrelated articles away without a request (the server's log says so), samples a bounded share of them, and
judges fetched pages again on their text; backfill stops at the configured year, an incremental run where the
links are all known; budgets stop a crawl."""

import gzip

import pytest

from faultserver import FaultServer, Reply, page
from paretl.crawl.fetcher import KnownPages, crawl_source
from paretl.sources import CrawlSettings, Source

pytestmark = pytest.mark.integration

GATED = CrawlSettings(per_host_concurrency=2, min_delay_s=0.0, timeout_s=2.0, max_retries=1, backoff_s=0.01,
                      relevance_gate=True, sample_share=0.0, backfill_to_year=2012)
RELEVANT_BODY = "<p>Chỉ số cải cách hành chính (PAR INDEX) năm 2022 của tỉnh đạt 85,12%, xếp thứ 12/63.</p>"
OTHER_BODY = "<p>Lễ hội hoa đào thu hút hàng nghìn du khách đến tham quan trong dịp đầu xuân.</p>"
XML = {"Content-Type": "application/xml; charset=utf-8"}

# (path, title, relevant?) of the articles every test web here publishes
ARTICLES = [
    ("/tin/tinh-cong-bo-chi-so-cai-cach-hanh-chinh-nam-2022-a101.html", "Công bố Chỉ số CCHC năm 2022", True),
    ("/tin/par-index-2022-tinh-tang-5-bac-a102.html", "PAR INDEX 2022: tỉnh tăng 5 bậc", True),
    ("/tin/chi-so-hai-long-sipas-dat-85-phan-tram-a103.html", "Chỉ số hài lòng SIPAS đạt 85%", True),
    ("/tin/le-hoi-hoa-dao-mua-xuan-thu-hut-du-khach-a201.html", "Lễ hội hoa đào thu hút du khách", False),
    ("/tin/giai-bong-da-thieu-nien-khai-mac-tai-san-van-dong-a202.html", "Giải bóng đá thiếu niên khai mạc", False),
    ("/tin/nong-dan-thu-hoach-lua-xuan-dat-nang-suat-cao-a203.html", "Nông dân thu hoạch lúa xuân", False),
]


def _serve_articles(srv, articles=ARTICLES):
    srv.routes["/robots.txt"] = Reply(404)
    for path, title, rel in articles:
        srv.routes[path] = Reply(200, page(title, RELEVANT_BODY if rel else OTHER_BODY))


def _listing(items) -> bytes:
    """A listing page: each item a link with its headline as the link's text."""
    lis = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in items)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Chuyên mục</title></head><body>"
            f"<h1>Chuyên mục</h1><ul class='list'>{lis}</ul></body></html>").encode("utf-8")


def _fetched(srv, paths):
    return {p for p in paths if srv.hits[p]}


def _source(base, **kw):
    kw.setdefault("start_urls", ())
    return Source(id="site", allowed_domains=("127.0.0.1",), province_code="20", **kw)


def _rss(base, articles):
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link><pubDate>Tue, 18 Apr 2023 08:00:00 +0700</pubDate>"
                    f"</item>" for p, t, _ in articles)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>{items}</channel></rss>'


def test_a_site_reachable_only_through_its_rss_feed():
    with FaultServer() as srv:
        _serve_articles(srv)
        srv.routes["/"] = Reply(200, page("Trang chủ"))  # no links at all
        srv.routes["/rss/home.rss"] = Reply(200, _rss(srv.base, ARTICLES).encode(), {"Content-Type": "application/rss+xml"})
        result = crawl_source(_source(srv.base, start_urls=(srv.base + "/",), feeds=(srv.base + "/rss/home.rss",)),
                              GATED, {}, "run-1")
    relevant = [p for p, _, r in ARTICLES if r]
    unrelated = [p for p, _, r in ARTICLES if not r]
    assert _fetched(srv, relevant) == set(relevant)
    assert _fetched(srv, unrelated) == set()  # judged by their titles, never asked for
    kept = {p.url.split("127.0.0.1", 1)[1].split("/", 1)[1] for p in result.pages if p.role == "article"}
    assert kept == {p.lstrip("/") for p in relevant}
    d = result.discovery
    assert (d["links"], d["relevant"], d["irrelevant"], d["kept"]) == (6, 3, 3, 3)
    assert {(r.url.rsplit("/", 1)[1], r.decision) for r in result.links if r.decision == "irrelevant"} == {
        (p.rsplit("/", 1)[1], "irrelevant") for p in unrelated}


def test_a_site_reachable_only_through_its_sitemaps():
    """robots.txt names a sitemap index; its children have lastmod dates: the child older than the backfill
    year is not read, a gzipped news sitemap is, and only the relevant articles are fetched."""
    with FaultServer() as srv:
        b = srv.base
        _serve_articles(srv)
        srv.routes["/robots.txt"] = Reply(200, f"User-agent: *\nAllow: /\nSitemap: {b}/sitemap.xml\n".encode(),
                                          {"Content-Type": "text/plain"})
        srv.routes["/"] = Reply(200, page("Trang chủ"))
        srv.routes["/sitemap.xml"] = Reply(200, (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{b}/sitemap-2023-04.xml</loc><lastmod>2023-04-30</lastmod></sitemap>"
            f"<sitemap><loc>{b}/sitemap-news.xml.gz</loc><lastmod>2023-05-02T10:00:00+07:00</lastmod></sitemap>"
            f"<sitemap><loc>{b}/sitemap-2009-01.xml</loc><lastmod>2009-01-31</lastmod></sitemap>"
            "</sitemapindex>").encode(), XML)
        urls = "".join(f"<url><loc>{b}{p}</loc><lastmod>2023-04-18</lastmod></url>" for p, _, _ in ARTICLES[:4])
        srv.routes["/sitemap-2023-04.xml"] = Reply(200, (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{b}/chuyen-muc/thoi-su/</loc></url>{urls}</urlset>").encode(), XML)
        news = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(
                    f"<url><loc>{b}{p}</loc><news:news><news:title>{t}</news:title>"
                    f"<news:publication_date>2023-05-02</news:publication_date></news:news></url>"
                    for p, t, _ in ARTICLES[4:]) + "</urlset>")
        srv.routes["/sitemap-news.xml.gz"] = Reply(200, gzip.compress(news.encode()),
                                                   {"Content-Type": "application/x-gzip"})
        settings = CrawlSettings(**{**GATED.__dict__, "robots_sitemaps": True})
        result = crawl_source(_source(b, start_urls=(b + "/",)), settings, {}, "run-1")
    relevant = [p for p, _, r in ARTICLES if r]
    assert _fetched(srv, [p for p, _, _ in ARTICLES]) == set(relevant)
    assert srv.hits["/sitemap-2023-04.xml"] == 1 and srv.hits["/sitemap-news.xml.gz"] == 1
    assert srv.hits["/sitemap-2009-01.xml"] == 0  # older than backfill_to_year: not read
    assert srv.hits["/chuyen-muc/thoi-su/"] == 0  # a section in a sitemap is not an article
    assert {p.role for p in result.pages} >= {"sitemap", "article"}
    assert result.discovery["mode"] == "backfill"


def test_a_site_reachable_only_through_its_search():
    """The site's search is the only way in: its result pages (and their pagination) list the articles."""
    with FaultServer() as srv:
        b = srv.base
        _serve_articles(srv)
        hit1 = [ARTICLES[0][0], ARTICLES[3][0]]
        srv.routes["/tim-kiem?q=PAR+INDEX"] = Reply(200, page("Kết quả", "", hit1 + ["/tim-kiem?q=PAR+INDEX&page=2"]))
        srv.routes["/tim-kiem?q=PAR+INDEX&page=2"] = Reply(200, page("Kết quả trang 2", "", [ARTICLES[1][0]]))
        srv.routes["/tim-kiem?q=SIPAS"] = Reply(200, page("Kết quả", "", [ARTICLES[2][0], ARTICLES[4][0]]))
        src = _source(b, search_url=b + "/tim-kiem?q={query}", search_queries=("PAR INDEX", "SIPAS", "PAPI"))
        result = crawl_source(src, GATED, {}, "run-1")
    assert srv.hits["/tim-kiem?q=PAR+INDEX&page=2"] == 1  # the results' pagination is followed
    assert srv.hits["/tim-kiem?q=PAPI"] == 1  # asked, found nothing (404): logged, no harm
    relevant = [p for p, _, r in ARTICLES if r]
    assert _fetched(srv, [p for p, _, _ in ARTICLES]) == set(relevant)
    assert {r.role for r in result.log} >= {"search", "article"}


def test_the_gate_samples_a_bounded_share_and_judges_the_text_again():
    """sample_share 1 and sample_max 2: two of the unrelated links are fetched to measure the gate, no more; a
    link whose title names an index but whose text does not is read and counted, not kept."""
    decoy = ("/tin/chi-so-cchc-trong-mat-nguoi-dan-a301.html", "Chỉ số CCHC trong mắt người dân", False)
    with FaultServer() as srv:
        b = srv.base
        _serve_articles(srv, ARTICLES)
        # the listing's headline names an index; the page behind it is about something else
        srv.routes[decoy[0]] = Reply(200, page("Người dân vui xuân", OTHER_BODY))
        hidden = ("/tin/bai-viet-a401.html", "", True)  # says nothing of itself (an image link), and is relevant
        srv.routes[hidden[0]] = Reply(200, page("Bài viết", RELEVANT_BODY))
        srv.routes["/chinh-tri/"] = Reply(200, _listing([(p, t) for p, t, _ in ARTICLES + [decoy]]
                                                        + [(hidden[0], '<img src="/anh.jpg">')]))
        settings = CrawlSettings(**{**GATED.__dict__, "sample_share": 1.0, "sample_max": 2})
        result = crawl_source(_source(b, start_urls=(b + "/chinh-tri/",)), settings, {}, "run-1")
    d = result.discovery
    unrelated = [p for p, _, r in ARTICLES if not r] + [hidden[0]]
    assert d["sampled"] == 2 and len(_fetched(srv, unrelated)) == 2
    assert srv.hits[decoy[0]] == 1 and d["irrelevant_text"] >= 1
    assert decoy[0].rsplit("/", 1)[1] not in {p.url.rsplit("/", 1)[1] for p in result.pages}
    assert any(r.outcome == "irrelevant" and r.url.endswith(decoy[0]) for r in result.log)


def test_backfill_stops_at_the_year_and_incremental_where_links_are_known():
    with FaultServer() as srv:
        b = srv.base
        srv.routes["/robots.txt"] = Reply(404)
        years = {1: 2023, 2: 2019, 3: 2011, 4: 2010}
        for n, year in years.items():
            arts = [f"/{year}/05/cai-cach-hanh-chinh-bai-so-{n}-{i}.html" for i in range(3)]
            for a in arts:
                srv.routes[a] = Reply(200, page("Cải cách hành chính", RELEVANT_BODY))
            srv.routes[f"/cchc/trang-{n}.html"] = Reply(200, page(f"Trang {n}", "", arts + [f"/cchc/trang-{n + 1}.html"]))
        src = _source(b, start_urls=(b + "/cchc/trang-1.html",))
        first = crawl_source(src, GATED, {}, "run-1")
        assert first.discovery["mode"] == "backfill"
        # page 3 lists only articles older than 2012: the walk stops there
        assert srv.hits["/cchc/trang-3.html"] == 1 and srv.hits["/cchc/trang-4.html"] == 0
        assert first.discovery["too_old"] == 3 and first.discovery["paging_stopped"] == 1

        # a new article on page 1; everything else known: an incremental run reads page 1 and 2, then stops
        new = "/2024/01/cai-cach-hanh-chinh-bai-moi.html"
        srv.routes[new] = Reply(200, page("Cải cách hành chính", RELEVANT_BODY))
        srv.routes["/cchc/trang-1.html"] = Reply(200, page("Trang 1", "", [new] + [
            f"/2023/05/cai-cach-hanh-chinh-bai-so-1-{i}.html" for i in range(3)] + ["/cchc/trang-2.html"]))
        known = KnownPages(links={p.url for p in first.pages} | {r.url for r in first.links})
        before = dict(srv.hits)
        second = crawl_source(src, GATED, known, "run-2")
    assert second.discovery["mode"] == "incremental"
    assert srv.hits[new] == 1
    assert srv.hits["/cchc/trang-2.html"] == before["/cchc/trang-2.html"] + 1
    assert srv.hits["/cchc/trang-3.html"] == before["/cchc/trang-3.html"]  # not reached again
    assert second.discovery["paging_stopped"] == 1


def test_budgets_stop_a_source_and_say_so():
    with FaultServer() as srv:
        b = srv.base
        _serve_articles(srv)
        srv.routes["/chinh-tri/"] = Reply(200, _listing([(p, t) for p, t, _ in ARTICLES]))
        src = _source(b, start_urls=(b + "/chinh-tri/",), max_pages=3)
        settings = CrawlSettings(**{**GATED.__dict__, "relevance_gate": False})
        result = crawl_source(src, settings, {}, "run-1")
    asked = sum(n for path, n in srv.hits.items() if path != "/robots.txt")
    assert asked == 3
    assert result.budget["pages"] == 3 and result.budget["stopped_by"] == "source pages (3)"
    assert result.discovery["left_unfetched"] == 4
