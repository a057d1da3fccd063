"""Synthetic names: common first names and surnames combined at random, naming nobody real."""

from __future__ import annotations

FIRST_NAMES = (
    "Oliver", "Amelia", "George", "Olivia", "Harry", "Isla", "Noah", "Ava", "Jack", "Mia",
    "Leo", "Ivy", "Arthur", "Lily", "Muhammad", "Isabella", "Oscar", "Rosie", "Charlie", "Sophia",
    "Jacob", "Grace", "Thomas", "Freya", "Henry", "Emily", "James", "Ella", "William", "Poppy",
    "Alfie", "Evie", "Joshua", "Chloe", "Samuel", "Aisha", "Daniel", "Priya", "Kwame", "Zara",
    "Ravi", "Megan", "Rhys", "Siobhan", "Ewan", "Niamh", "Tariq", "Hannah", "Connor", "Fatima",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "Khan", "Ahmed", "Singh", "Campbell", "Murphy", "Kelly", "Okafor", "Mensah",
)  # fmt: skip
