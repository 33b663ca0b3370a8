"""watcher: watches web pages and tells people when their wording changes."""

__version__ = "0.1.0"
