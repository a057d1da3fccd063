"""Team formation for hackathons and cohorts: balanced teams, no one isolated (after CATME)."""
