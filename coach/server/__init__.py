"""`coach serve`: Support Coach over HTTP, for help desks and LanguageTool clients.

- app.py: the ASGI app (FastAPI), its request guard (size limit, token in the address, logging,
  errors) and the worker's start-up (the pipeline loaded once)
- v2.py + languagetool.py: LanguageTool-compatible /v2/check and /v2/languages
- api.py: the JSON API (/api/v1/check, /api/v1/batch, /api/v1/openapi.json)
- auth.py, ratelimit.py: teams' tokens (coach.store.api_tokens) and the per-token rate limit
- settings.py, runtime.py, analysis.py: what a worker runs with; cli.py: the commands
"""
