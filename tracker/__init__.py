"""tracker: a terminal diary for knee arthritis and low back pain rehabilitation."""

__version__ = "0.1.0"
