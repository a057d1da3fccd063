"""Allocation of people to places: stable, welfare-optimal and fair matchings, each explained."""
