"""Importers of other apps' files (rides and gym diaries): see ``source``."""
