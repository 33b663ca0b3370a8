"""The daemon's counters and check-duration histogram, in Prometheus' text format.

Holds numbers only: the daemon records, web.py serves.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

DURATION_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Counts of checks by outcome, alerts by result, and how long checks take."""

    def __init__(self) -> None:
        self.checks: Counter[str] = Counter()
        self._buckets = [0] * (len(DURATION_BUCKETS) + 1)
        self._duration_sum = 0.0

    def record_check(self, outcome: str, seconds: float) -> None:
        """Count one check with its outcome and duration."""
        self.checks[outcome] += 1
        self._buckets[bisect_left(DURATION_BUCKETS, seconds)] += 1
        self._duration_sum += seconds

    def render(self, watches: int, pending_alerts: int, alerts_sent: int, alerts_failed: int) -> str:
        """Given the current gauges, return the exposition text."""
        lines = ["# HELP watcher_checks_total Checks done, by outcome.", "# TYPE watcher_checks_total counter"]
        lines += [f'watcher_checks_total{{outcome="{outcome}"}} {count}' for outcome, count in sorted(self.checks.items())]
        lines += ["# HELP watcher_changes_total Changes detected.", "# TYPE watcher_changes_total counter",
                  f"watcher_changes_total {self.checks['changed']}",
                  "# HELP watcher_alerts_total Alert deliveries, by result.", "# TYPE watcher_alerts_total counter",
                  f'watcher_alerts_total{{result="sent"}} {alerts_sent}',
                  f'watcher_alerts_total{{result="failed"}} {alerts_failed}',
                  "# HELP watcher_alerts_pending Alerts waiting in the outbox.", "# TYPE watcher_alerts_pending gauge",
                  f"watcher_alerts_pending {pending_alerts}",
                  "# HELP watcher_watches Watches scheduled.", "# TYPE watcher_watches gauge",
                  f"watcher_watches {watches}"]
        return "\n".join(lines + self._histogram()) + "\n"

    def _histogram(self) -> list[str]:
        name = "watcher_check_duration_seconds"
        lines = [f"# HELP {name} How long one check takes.", f"# TYPE {name} histogram"]
        cumulative = 0
        for bound, count in zip((*map(str, DURATION_BUCKETS), "+Inf"), self._buckets, strict=True):
            cumulative += count
            lines.append(f'{name}_bucket{{le="{bound}"}} {cumulative}')
        return lines + [f"{name}_sum {self._duration_sum:.6f}", f"{name}_count {cumulative}"]
