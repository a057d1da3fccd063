"""The AI project register: ATRS record rules and similarity between projects (pure)."""
