"""History: accounts, recorded checks and practice, and the progress managers see.

- `db`: the database URL (COACH_DATABASE_URL), engine, sessions, migrations applied at start
- `models`: the tables; `UserInfo`, the plain view of a user front ends keep
- `repository`: all data access; every read takes the viewing user and filters by role and team
- `auth`: argon2 password hashes and sign-in throttling
- `redact`: personal data and secrets removed before anything is stored
- `progress`, `export`: pandas computations for the progress pages, CSV and HTML exports
- `rules`: "this flag is wrong" dismissals, the per-rule view, team rule settings (off / hint)
- `people`: a manager's people management (add, reset password, deactivate, move, QA reviewer)
- `audit`: who may change a team's set-up, and the audit log of every change
- `calibration`, `agreement`: QA reviewers' scores next to the coach's, and how far they agree
- `demo`, `cli`: `coach demo`, `coach users add|list`, `coach calibrate import`, `coach db upgrade`

Nothing here imports Streamlit or analyses text: rows hold what report.to_dict() said.
"""
