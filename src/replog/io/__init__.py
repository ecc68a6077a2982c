"""Importers and exporters, one module per format. Each returns core objects or raises an
error that names the line or field that is wrong."""
