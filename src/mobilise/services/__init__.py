"""Use cases: each module reads and writes one area through the store, in transactions."""
