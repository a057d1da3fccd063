"""Learning: least-cost pathways through a catalogue of learning items to close skill gaps."""
