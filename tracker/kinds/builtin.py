"""Registers the built-in kinds in the order every face shows them: exercises, check-in, the
plan, events, then the questionnaires."""

import importlib

BUILTIN_MODULES = (
    *("lunge", "cycling", "rotation", "checkin"),
    *("plan", "event"),
    *("koos", "rmdq", "odi", "pgic"),
)

for _module in BUILTIN_MODULES:
    importlib.import_module(f"tracker.kinds.{_module}")
