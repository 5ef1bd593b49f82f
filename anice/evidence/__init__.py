"""Evidence: sealed files of a case, their integrity and chain of custody."""
