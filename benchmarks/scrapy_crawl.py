"""The reference crawl: scrapy over the same generated web, at the same concurrency, fetching the same pages.

Follows each site's section listing, its pagination (rel=next and numbered pages) and the article links of the
list (not the sidebar's), obeys robots.txt, and hashes every body as paretl does. One download slot per site (host
and port: scrapy's default slot is the host name, which would make the ten local sites one), at most
`--concurrency` requests per slot, no delay. Prints one JSON object: pages, seconds, pages_per_s.

    python benchmarks/scrapy_crawl.py --concurrency 8 http://127.0.0.1:PORT/thoi-su/ ...
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess


class SectionSpider(scrapy.Spider):
    name = "section"

    def __init__(self, sites: list[str], **kw):
        super().__init__(**kw)
        self.sites = sites
        self.pages = 0
        self.bytes = 0

    def _req(self, url: str, callback) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, meta={"download_slot": urlsplit(url).netloc})

    async def start(self):
        for u in self.sites:
            yield self._req(u, self.parse_listing)

    def _count(self, response) -> None:
        hashlib.sha256(response.body).hexdigest()
        self.pages += 1
        self.bytes += len(response.body)

    def parse_listing(self, response):
        self._count(response)
        for href in response.css(".list-news li a::attr(href)").getall():
            yield self._req(response.urljoin(href), self.parse_article)
        for href in response.css(".pagination a::attr(href), link[rel=next]::attr(href)").getall():
            yield self._req(response.urljoin(href), self.parse_listing)

    def parse_article(self, response):
        self._count(response)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=8, help="requests at once per site")
    ap.add_argument("start", nargs="+")
    args = ap.parse_args()
    process = CrawlerProcess(settings={
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
        "CONCURRENT_REQUESTS": args.concurrency * len(args.start),
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": True, "RETRY_TIMES": 2, "DOWNLOAD_TIMEOUT": 30, "USER_AGENT": "scrapy-benchmark",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7", "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_MAXSIZE": 10_000_000,
    })
    crawler = process.create_crawler(SectionSpider)
    t0 = time.perf_counter()
    process.crawl(crawler, sites=args.start)
    process.start()
    seconds = time.perf_counter() - t0
    spider = crawler.spider
    print(json.dumps({"pages": spider.pages, "seconds": round(seconds, 3),
                      "pages_per_s": round(spider.pages / seconds, 1)}))


if __name__ == "__main__":
    main()
