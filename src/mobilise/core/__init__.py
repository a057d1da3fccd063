"""The pure core: plain dataclasses and arrays in, results out; no I/O, no ORM, no web."""
