"""The crawler against a local server that misbehaves on purpose: every attempt is logged with its outcome."""

import time

import pytest

from faultserver import FaultServer, Reply, page
from paretl.crawl.fetcher import Known, crawl_source
from paretl.sources import CrawlSettings, Source

pytestmark = pytest.mark.integration

FAST = CrawlSettings(per_host_concurrency=2, min_delay_s=0.0, timeout_s=1.0, max_body_bytes=50_000, max_retries=2,
                     backoff_s=0.01)
ARTICLE = page("Bài viết", "<p>Chỉ số CCHC năm 2017 của tỉnh đạt 79,10 điểm, xếp thứ 27/63.</p>")


def _source(base, **kw):
    return Source(id="test", start_urls=(base + "/list/",), allowed_domains=("127.0.0.1",), province_code="20", **kw)


def _outcomes(result):
    return {(r.url.split("/", 3)[-1], r.outcome) for r in result.log}


def test_faults_are_logged_and_good_pages_kept():
    with FaultServer() as srv:
        b = srv.base
        arts = {
            "/a/good-article-one.html": ARTICLE,
            "/a/missing-article-two.html": None,
            "/a/flaky-article-three.html": lambda n, h: Reply(503) if n == 1 else Reply(200, ARTICLE),
            "/a/always-down-four.html": Reply(500, b"down"),
            "/a/slow-article-five.html": Reply(200, ARTICLE, delay=3.0),
            "/a/huge-article-six.html": Reply(200, b"<html>" + b"x" * 100_000 + b"</html>"),
            "/a/report-seven.pdf": Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
            "/a/moved-article-eight.html": Reply(302, b"", {"Location": "http://localhost:1/elsewhere.html"}),
            "/private/secret-article-nine.html": ARTICLE,
            "/a/latin1-article-ten.html": Reply(200, b"<html>\x00\x01\x8f\x00\x00binary", {"Content-Type": "text/html; charset=bogus-x"}),
        }
        for path, reply in arts.items():
            if reply is not None:
                srv.routes[path] = reply if not isinstance(reply, bytes) else Reply(200, reply)
        srv.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", [b + p for p in arts] + ["/list/trang-2.html"]))
        srv.routes["/list/trang-2.html"] = Reply(200, page("Trang 2", "", ["/a/good-article-one.html"]))
        result = crawl_source(_source(b), FAST, {}, "run-1")
    got = _outcomes(result)
    assert ("a/good-article-one.html", "ok") in got
    assert ("a/missing-article-two.html", "http_4xx") in got
    assert ("a/flaky-article-three.html", "http_5xx") in got and ("a/flaky-article-three.html", "ok") in got
    assert sum(1 for r in result.log if r.url.endswith("always-down-four.html")) == FAST.max_retries + 1
    assert ("a/slow-article-five.html", "timeout") in got
    assert ("a/huge-article-six.html", "too_large") in got
    assert ("a/report-seven.pdf", "bad_content_type") in got
    assert ("a/moved-article-eight.html", "offsite_redirect") in got
    assert ("private/secret-article-nine.html", "robots_disallowed") in got
    assert ("a/latin1-article-ten.html", "decode_error") in got
    assert ("list/trang-2.html", "ok") in got  # pagination followed
    kept = {p.url.rsplit("/", 1)[-1] for p in result.pages if p.role == "article"}
    assert kept == {"good-article-one.html", "flaky-article-three.html"}
    assert srv.hits["/private/secret-article-nine.html"] == 0


def test_conditional_requests_give_not_modified():
    with FaultServer() as srv:
        def article(n, headers):
            if headers.get("If-None-Match") == '"v1"':
                return Reply(304, b"", {"ETag": '"v1"'})
            return Reply(200, ARTICLE, {"ETag": '"v1"'})
        srv.routes["/robots.txt"] = Reply(404)
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", ["/a/the-only-article-here.html"]), {"ETag": '"L"'})
        srv.routes["/a/the-only-article-here.html"] = article
        first = crawl_source(_source(srv.base), FAST, {}, "run-1")
        known = {p.url: Known(p.etag, p.last_modified, p.sha256, p.body if p.role == "listing" else None, p.charset)
                 for p in first.pages}
        srv.routes["/list/"] = lambda n, h: (Reply(304, b"", {"ETag": '"L"'}) if h.get("If-None-Match") == '"L"'
                                             else Reply(200, b"changed"))
        second = crawl_source(_source(srv.base), FAST, known, "run-2")
    assert {r.outcome for r in second.log if r.role != "robots"} == {"not_modified"}
    assert second.pages == []
    # the listing's links were still followed, from the stored body
    assert any(r.url.endswith("the-only-article-here.html") for r in second.log)


def test_dead_site_is_recorded_not_raised():
    src = Source(id="dead", start_urls=("http://127.0.0.1:9/list/",), allowed_domains=("127.0.0.1",))
    result = crawl_source(src, FAST, {}, "run-1")
    assert result.pages == []
    assert {r.outcome for r in result.log} <= {"connect_error", "robots_unavailable"}
    assert any(r.outcome == "robots_unavailable" for r in result.log)


def test_per_host_politeness_delay():
    with FaultServer() as srv:
        srv.routes["/robots.txt"] = Reply(404)
        links = [f"/a/article-number-{i}-here.html" for i in range(4)]
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", links))
        for link in links:
            srv.routes[link] = Reply(200, ARTICLE)
        settings = CrawlSettings(per_host_concurrency=1, min_delay_s=0.2, timeout_s=2, max_retries=0)
        t0 = time.monotonic()
        crawl_source(_source(srv.base), settings, {}, "run-1")
        starts = sorted(t for t, path, h in srv.requests if path.startswith("/a/"))
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) == 4 and min(gaps) >= 0.18, gaps
    assert time.monotonic() - t0 >= 0.8
