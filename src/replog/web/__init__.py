"""The web app: server-rendered pages and a little hand-written JavaScript, no build step.

It is served by the same FastAPI app as the API (:func:`replog.web.app.create_web_app`).
Pages read through the services, like the API routes; every write the pages make goes
through the API itself (cookie session plus the X-CSRF-Token header), with client ids, so
the offline queue can retry it safely.
"""
