"""Registers the built-in kinds in the order every face shows them: exercises, then check-in, then
the questionnaires."""

import importlib

BUILTIN_MODULES = ("lunge", "cycling", "rotation", "checkin", "plan", "koos", "rmdq", "odi", "pgic")

for _module in BUILTIN_MODULES:
    importlib.import_module(f"tracker.kinds.{_module}")
