"""Add up passed/failed over the suites' result files and print 'N passed, N failed'."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def pytest_counts(path: Path) -> tuple[int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed


def jest_counts(path: Path) -> tuple[int, int]:
    data = json.loads(path.read_text())
    failed = data["numFailedTests"] + data.get("numRuntimeErrorTestSuites", 0)
    return data["numPassedTests"], failed


def playwright_counts(path: Path) -> tuple[int, int]:
    stats = json.loads(path.read_text())["stats"]
    return stats["expected"], stats["unexpected"] + stats.get("flaky", 0)


def main(results: Path) -> int:
    suites = {"pytest": ("pytest.xml", pytest_counts), "jest": ("jest.json", jest_counts), "galata": ("galata.json", playwright_counts)}
    passed = failed = 0
    for name, (filename, count) in suites.items():
        path = results / filename
        try:
            p, f = count(path)
        except Exception as error:  # a suite that wrote no results failed to run
            print(f"{name}: no results ({error})")
            p, f = 0, 1
        print(f"{name}: {p} passed, {f} failed")
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
