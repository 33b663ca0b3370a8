"""Extraction cost in instructions, which do not drift with the machine's load as CPU time does.

    .venv/bin/python benchmarks/extraction_cost.py [--every N]

Runs watcher's extractor and the selectolax body-text baseline (parse, drop script and style,
read the body's text) under valgrind's callgrind on every Nth page of ../shared's extraction dev
set, subtracts the cost of starting Python and loading the pages, and prints both counts and their
ratio. ../shared/bench/ANCHORS.md gives the baseline's time on its machine (0.36 ms a page), so
the ratio turns into an estimate of watcher's time there. Needs valgrind and ../shared.
"""

from __future__ import annotations

import argparse
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "extraction" / "dev"
BASELINE_MS_ON_ANCHOR_MACHINE = 0.36  # ../shared/bench/ANCHORS.md, selectolax body text

# What each mode does once the pages are loaded; "none" measures the fixed cost.
WORKLOAD = """
import pickle, sys
sys.path[:0] = [{root!r}, {bench!r}]
pages = pickle.load(open({pages!r}, "rb"))
from watcher.extract import extract_main_text
from extractors import selectolax_naive
run = {{"none": None, "watcher": extract_main_text, "baseline": selectolax_naive}}[sys.argv[1]]
for html in pages if run else ():
    try:
        run(html)
    except Exception:
        pass
"""


def load_pages(every: int) -> list[str]:
    sys.path.insert(0, str(SHARED / "bench"))
    import extract_eval  # type: ignore[import-not-found]

    records = [record for path in extract_eval.expand_paths([str(DATA)]) for record in extract_eval.load_records(path)]
    return [record["html"] for record in records[::every]]


def instructions(script: Path, mode: str) -> int:
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             sys.executable, str(script), mode], capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=4, help="take every Nth page (default 4)")
    every = parser.parse_args().every
    if shutil.which("valgrind") is None or not DATA.is_dir():
        raise SystemExit(f"needs valgrind on PATH and {DATA}")
    pages = load_pages(every)
    with tempfile.TemporaryDirectory() as folder:
        pickled = Path(folder) / "pages.pickle"
        pickled.write_bytes(pickle.dumps(pages))
        script = Path(folder) / "workload.py"
        script.write_text(WORKLOAD.format(root=str(ROOT), bench=str(SHARED / "bench"), pages=str(pickled)))
        fixed = instructions(script, "none")
        watcher = instructions(script, "watcher") - fixed
        baseline = instructions(script, "baseline") - fixed
    ratio = watcher / baseline
    print(f"pages: {len(pages)} (every {every}th of the dev set)")
    print(f"watcher   {watcher / len(pages) / 1e6:6.2f} M instructions a page")
    print(f"baseline  {baseline / len(pages) / 1e6:6.2f} M instructions a page (selectolax body text)")
    print(f"ratio     {ratio:6.2f}  -> about {ratio * BASELINE_MS_ON_ANCHOR_MACHINE:.2f} ms a page on the "
          f"ANCHORS.md machine, where the baseline takes {BASELINE_MS_ON_ANCHOR_MACHINE} ms")


if __name__ == "__main__":
    main()
