"""The RepLog server: a FastAPI app over the services (``create_app``).

Public surface: :func:`replog.api.app.create_app` and :class:`replog.api.settings.ApiSettings`.
Routers live in ``routes_*`` modules, one per resource; every error leaves through the one
envelope of :mod:`replog.api.errors`.
"""
