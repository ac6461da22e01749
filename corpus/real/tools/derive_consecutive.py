"""Label completion, applied the same way to every page: where a page's labels give a unit's rank for year Y and
for Y-1 (same index), the Y fact's missing prior_rank / rank_change are derived (listed in 'derived')."""
import datetime
import json
from pathlib import Path
p = Path("corpus/real/facts.jsonl")
lines = p.read_text(encoding="utf-8").splitlines()
rows = [json.loads(l) if l.strip() else None for l in lines]
idx = [r for r in rows if r and "index_year" in r and r.get("index") in ("PAR_INDEX", "SIPAS", "PAPI", "PCI", "PGI")]
by = {(r["page"], r["unit_kind"], r["unit_name"], r["index"], r["index_year"]): r for r in idx}
done = set()
n = 0
pages = set()
for r in idx:
    prev = by.get((r["page"], r["unit_kind"], r["unit_name"], r["index"], r["index_year"] - 1))
    if prev is None or r["rank"] is None or prev["rank"] is None or r.get("ambiguous") or prev.get("ambiguous"):
        continue
    changed = False
    if r["prior_rank"] is None:
        r["prior_rank"] = prev["rank"]; r.setdefault("derived", []); r["derived"] = sorted(set(r["derived"]) | {"prior_rank"}); changed = True
    if r["rank_change"] is None and r["prior_rank"] == prev["rank"]:
        r["rank_change"] = prev["rank"] - r["rank"]; r["derived"] = sorted(set(r.get("derived") or []) | {"rank_change"}); changed = True
    if changed:
        n += 1; pages.add(r["page"]); done.add(id(r))
        r["note"] = (r.get("note") or "") + f" [derived {datetime.date.today()} from the labelled rank of the year before, by rule]"
p.write_text("".join((json.dumps(r, ensure_ascii=False) if id(r) in done else l) + "\n" for l, r in zip(lines, rows)), encoding="utf-8")
print(n, "facts completed on", len(pages), "pages")
