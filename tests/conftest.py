import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # the fault server helper

SEED_CANDIDATES = [ROOT.parent / "shared" / "seeds" / "000_09b0bfa9be49aba5.txt"]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def seed_text() -> str:
    """The founding example as the team's own plain-text file (the shared seed when it is beside the checkout)."""
    for p in SEED_CANDIDATES:
        if p.exists():
            return p.read_text(encoding="utf-8")
    return (ROOT / "tests" / "data" / "founding_example.txt").read_text(encoding="utf-8")
