"""The extractor against the labelled corpus and the sample web: the bar on unseen articles is precision >= 0.95
and recall >= 0.80; on our own pages it must do at least that well, per index as well as overall."""

import pytest

from paretl.evaluate import evaluate_corpus, format_report


@pytest.mark.parametrize("folder", ["corpus", "src/paretl/sample_site/sites"])
def test_extraction_quality(root, folder):
    report = evaluate_corpus(root / folder)
    text = format_report(report, show_misses=False)
    assert report.pages >= (80 if folder == "corpus" else 40), text
    assert report.overall.precision >= 0.97, text
    assert report.overall.recall >= 0.78, text
    for index, tally in report.by_index.items():
        assert tally.precision >= 0.9, (index, text)
    assert report.dates.recall >= 0.95, text
    if folder == "corpus":  # the activity reports of the corpus (d-pages and the founding example's kind)
        assert report.activity.precision >= 0.95 and report.activity.recall >= 0.80, text
        # a matched figure with another period or reporting body than the label's counts against it here
        assert report.activity_period.precision >= 0.95 and report.activity_period.tp >= 40, text
        assert report.activity_reporter.precision >= 0.95 and report.activity_reporter.tp >= 40, text


@pytest.mark.parametrize("folder,pages", [("corpus/holdout", 30), ("corpus/holdout2", 20)])
def test_held_out_pages(root, folder, pages):
    """Pages written apart from the extractor, in layouts it was not built on: the bar for unseen articles."""
    report = evaluate_corpus(root / folder)
    text = format_report(report, show_misses=False)
    assert report.pages >= pages
    assert report.overall.precision >= 0.95, text
    assert report.overall.recall >= 0.80, text


def test_twins_of_real_articles(root):
    """Own-words twins of real articles (corpus/twins: the t-batches and the twins of the real set's labelled pages),
    the committed stand-in for the real set's text: the extractor must not fall back on them. The floors sit a
    little under the figures measured when they were set (extractor 1.4.96, after the twins were reworded further
    from their sources: 0.955 / 0.834, activity 0.924 / 0.680; with batch t2 at 1.4.97, 504 pages: 0.953 / 0.810,
    activity 0.938 / 0.695; with batches t3 and t4 at 1.4.111, 552 pages: 0.972 / 0.846, activity 0.934 / 0.735), so a
    change that loses real-text variety fails here."""
    report = evaluate_corpus(root / "corpus/twins")
    text = format_report(report, show_misses=False)
    assert report.pages >= 550, text
    assert report.overall.precision >= 0.965 and report.overall.recall >= 0.83, text
    assert report.activity.precision >= 0.92 and report.activity.recall >= 0.72, text
