"""The relevance gate on the generated local web (benchmarks/localweb.py): the same crawl with the gate off and on.

Measures requests, bytes, wall time, article pages kept, and how many of the web's relevant articles each crawl
kept (recall against the web's own truth: an article is relevant when it states a PAR INDEX figure). The last line
is one JSON object.

    .venv/bin/python benchmarks/bench_gate.py --pages 5000
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from localweb import LocalWeb, WebSpec  # noqa: E402

from paretl.crawl.fetcher import crawl_groups  # noqa: E402
from paretl.sources import parse_registry  # noqa: E402


def crawl(web: LocalWeb, gate: bool) -> dict:
    reg = parse_registry(web.registry_text(relevance_gate=gate, sample_share=0.02, sample_max=20))
    t0 = time.monotonic()
    results = crawl_groups([[(s, {}, None)] for s in reg.sources], reg.crawl, "bench")
    took = time.monotonic() - t0
    kept = [p for r in results for p in r.pages if p.role == "article"]
    numbers = {int(m.group(1)) for p in kept if (m := re.search(r"-(\d{6})\.html$", p.url))}
    relevant = {n - 100000 for n in numbers if web.spec.relevant(n - 100000)}
    d = {k: sum(r.discovery.get(k, 0) for r in results) for k in ("links", "relevant", "irrelevant", "unknown",
                                                                 "sampled", "sampled_relevant", "irrelevant_text")}
    return {"gate": gate, "seconds": round(took, 2), "requests": sum(r.budget["pages"] for r in results),
            "mb": round(sum(r.budget["bytes"] for r in results) / 1e6, 1), "articles_kept": len(kept),
            "relevant_kept": len(relevant), **d}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--hosts", type=int, default=5)
    args = ap.parse_args()
    spec = WebSpec(pages=args.pages, hosts=args.hosts)
    truth = sum(1 for a in range(args.pages) if spec.relevant(a))
    with LocalWeb(spec) as web:
        off = crawl(web, False)
        on = crawl(web, True)
    for row in (off, on):
        print(f"gate {'on ' if row['gate'] else 'off'}: {row['requests']} requests, {row['mb']} MB, {row['seconds']} s, "
              f"{row['articles_kept']} articles kept, {row['relevant_kept']}/{truth} relevant kept")
    print(json.dumps({"pages": args.pages, "relevant_in_web": truth, "off": off, "on": on}))


if __name__ == "__main__":
    main()
