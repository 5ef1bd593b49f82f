"""A web or job worker for the shared-index tests: its own process, app and session.

Run as ``python -m tests.rights.index_worker CONFIG_JSON``; reads one JSON command a line
({"match": text} or {"import": csv_path}) and answers one JSON line each.
"""

from __future__ import annotations

import json
import sys


def mapped_files() -> list[str]:
    """The index files this process maps (its /proc/self/maps)."""
    with open("/proc/self/maps") as fh:
        return sorted({line.split(None, 5)[-1].strip() for line in fh
                       if line.rstrip().endswith(".idx")})


def main() -> None:
    from anice import create_app
    from anice import db as anice_db
    from anice.rights import importing, match_service

    app = create_app(json.loads(sys.argv[1]))
    with app.app_context():
        for line in sys.stdin:
            command = json.loads(line)
            with anice_db.separate_session() as session:
                if "match" in command:
                    found = match_service.match(session, command["match"], limit=3)
                    answer = {"numbers": [m.right.number for m in found],
                              "maps": mapped_files()}
                else:
                    with open(command["import"], "rb") as fh:
                        importing.import_csv(session, None, fh)
                    session.commit()
                    answer = {"ok": True}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
