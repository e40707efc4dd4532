"""Registers the built-in kinds in the order every face shows them: exercises, then check-in."""

import importlib

BUILTIN_MODULES = ("lunge", "cycling", "rotation", "checkin", "plan")

for _module in BUILTIN_MODULES:
    importlib.import_module(f"tracker.kinds.{_module}")
