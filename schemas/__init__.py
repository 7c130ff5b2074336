"""Pydantic models only: layout, provenance, facts, run records. Imports nothing else of ours."""
