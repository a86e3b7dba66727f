"""Parse and normalise standard identifiers (pure Python, no Django)."""
