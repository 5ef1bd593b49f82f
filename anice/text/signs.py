"""Vowel signs read from a table, as Khmer and Burmese write them after their consonant."""


def read_signs(signs: str, table, second: bool) -> str:
    """The Latin of a run of vowel signs, matched longest first against `table` rows
    (signs, first reading, second reading); a sign not in the table spells nothing."""
    out = ""
    while signs:
        for seq, first, other in table:
            if signs.startswith(seq):
                out += other if second else first
                signs = signs[len(seq):]
                break
        else:
            signs = signs[1:]
    return out
