"""Cross-border referrals: share chosen parts of a case with another country's agency."""
