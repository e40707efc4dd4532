"""Registers the built-in kinds in the order every face shows them: exercises, check-in, events."""

import importlib

BUILTIN_MODULES = ("lunge", "cycling", "rotation", "checkin", "event")

for _module in BUILTIN_MODULES:
    importlib.import_module(f"tracker.kinds.{_module}")
