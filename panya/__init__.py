"""Panya (ปัญญา): semantic search and archive for Thai community knowledge."""

__version__ = "0.1.0"
