"""Use cases over the core: each takes a unit of work (see :mod:`replog.services.ports`)
and returns core objects or plain results, never rows, requests or terminal output."""
