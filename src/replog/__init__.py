"""RepLog: an open training log that measures neural drive.

The public, stable surface lives in :mod:`replog.core` (domain and science) and
:mod:`replog.services` (use cases). Storage, importers, CLI and web are adapters.
"""

__version__ = "0.1.0"
