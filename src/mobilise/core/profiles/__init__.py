"""Skill profiles: the profile a person's claims give, and their gaps to role levels and careers."""
