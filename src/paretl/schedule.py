"""When the job runs: the one schedule that prefect.yaml's deployment and `paretl serve` both use.

The indices are announced in spring (PAR INDEX and SIPAS in April or May, PAPI and PCI in April–May): from April to
June the job runs every day to pick the announcements up; the rest of the year once a week. Times are Việt Nam's.
No two runs ever overlap: the deployment's concurrency limit is one, and a run that finds the slot taken waits
for it (ENQUEUE), so a long weekly run and a daily one never write the warehouse at the same time.
(tests/test_flow.py checks that prefect.yaml says the same.)
"""

TIMEZONE = "Asia/Ho_Chi_Minh"

SCHEDULES = (
    # (cron, what it is)
    ("0 2 * 1-3,7-12 1", "weekly, Monday 02:00, outside the announcement season"),
    ("0 2 * 4-6 *", "daily, 02:00, April to June: the announcement season"),
)

CONCURRENCY_LIMIT = 1
COLLISION_STRATEGY = "ENQUEUE"  # a second run waits for the first (CANCEL_NEW would drop it)
