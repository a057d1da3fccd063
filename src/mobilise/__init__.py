"""Mobilise: skills, learning and talent mobility for public-sector digital, data and AI people."""

__version__ = "0.1.0"
