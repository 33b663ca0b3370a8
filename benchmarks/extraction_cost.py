"""Extraction cost against the selectolax baseline, in CPU time and in instructions.

    .venv/bin/python benchmarks/extraction_cost.py [--every N] [--repeats R]

../shared/bench/ANCHORS.md gives the baseline's time (parse, drop script and style, read the body's
text) on its machine, 0.36 ms a page, so watcher's cost as a multiple of the baseline's turns into an
estimate of watcher's time there. Two measures of that multiple:

- CPU time on one pinned core, every dev page, the two extractors interleaved page by page and each
  page's fastest of R runs kept: load from other processes comes and goes, and taking the fastest
  run of each, side by side, leaves it out of both. The ratio of the two medians is printed.
- Instructions under valgrind's callgrind on every Nth page, less the cost of starting Python and
  loading the pages: they do not drift at all, but an instruction of C parsing and one of the
  Python interpreter do not take the same time, so this ratio is a second opinion, not the answer.

Needs ../shared, and valgrind for the second.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
from watcher.errors import ExtractError
from watcher.extract import extract_main_text
from extractors import selectolax_naive
run = {{"none": None, "watcher": extract_main_text, "baseline": selectolax_naive}}[sys.argv[1]]
for html in pages if run else ():
    try:
        run(html)
    except ExtractError:  # a page without main text is a result; anything else stops the count
        pass
"""


def load_pages() -> list[str]:
    """Every dev page's HTML, in the order extract_eval.py reads them."""
    sys.path.insert(0, str(SHARED / "bench"))
    import extract_eval  # type: ignore[import-not-found]

    records = [record for path in extract_eval.expand_paths([str(DATA)]) for record in extract_eval.load_records(path)]
    return [record["html"] for record in records]


def fastest_times(pages: list[str], extractors: list[Callable[[str], object]], repeats: int,
                  expected: type[Exception]) -> list[list[float]]:
    """Each extractor's fastest CPU time on each page over `repeats` rounds, run side by side; the order
    turns every round, since the second to read a page finds it in the processor's caches."""
    fastest = [[float("inf")] * len(pages) for _ in extractors]
    for round_number in range(repeats):
        order = list(zip(fastest, extractors))
        if round_number % 2:
            order.reverse()
        for index, html in enumerate(pages):
            for times, extract in order:
                started = time.process_time()
                try:
                    extract(html)
                except expected:  # a page without main text is a result, as in extract_eval.py
                    pass
                times[index] = min(times[index], time.process_time() - started)
    return fastest


def time_ratio(pages: list[str], repeats: int) -> None:
    sys.path[:0] = [str(ROOT), str(SHARED / "bench")]
    from extractors import selectolax_naive  # type: ignore[import-not-found]

    from watcher.errors import ExtractError
    from watcher.extract import extract_main_text

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    watcher, baseline = (statistics.median(times) for times in
                         fastest_times(pages, [extract_main_text, selectolax_naive], repeats, ExtractError))
    print(f"CPU time, {len(pages)} pages, fastest of {repeats} runs each, one pinned core:")
    print(f"  watcher   {watcher * 1000:6.2f} ms a page (median)")
    print(f"  baseline  {baseline * 1000:6.2f} ms a page (median)")
    print(f"  ratio     {watcher / baseline:6.2f}  -> about {watcher / baseline * BASELINE_MS_ON_ANCHOR_MACHINE:.2f} ms "
          f"a page on the ANCHORS.md machine, where the baseline takes {BASELINE_MS_ON_ANCHOR_MACHINE} ms")


def instructions(script: Path, mode: str) -> int:
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             sys.executable, str(script), mode], capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=4, help="instructions: take every Nth page (default 4)")
    parser.add_argument("--repeats", type=int, default=5, help="CPU time: runs of each page (default 5)")
    arguments = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"needs {DATA}")
    pages = load_pages()  # 117 MB of HTML, read once for both measures
    time_ratio(pages, arguments.repeats)
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind on PATH for the instruction counts")
    instruction_ratio(pages[::arguments.every], arguments.every)


def instruction_ratio(pages: list[str], every: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pickled = Path(folder) / "pages.pickle"
        pickled.write_bytes(pickle.dumps(pages))
        script = Path(folder) / "workload.py"
        script.write_text(WORKLOAD.format(root=str(ROOT), bench=str(SHARED / "bench"), pages=str(pickled)))
        fixed = instructions(script, "none")
        watcher = instructions(script, "watcher") - fixed
        baseline = instructions(script, "baseline") - fixed
    ratio = watcher / baseline
    print(f"Instructions, {len(pages)} pages (every {every}th of the dev set):")
    print(f"  watcher   {watcher / len(pages) / 1e6:6.2f} M instructions a page")
    print(f"  baseline  {baseline / len(pages) / 1e6:6.2f} M instructions a page (selectolax body text)")
    print(f"  ratio     {ratio:6.2f}  -> about {ratio * BASELINE_MS_ON_ANCHOR_MACHINE:.2f} ms a page on the "
          f"ANCHORS.md machine")


if __name__ == "__main__":
    main()
