"""The ``replog`` command line: parse, call a service, print (Rich tables or ``--json``)."""
