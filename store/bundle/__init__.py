"""Progress bundle, format version 1 (shared/spec/bundle-v1.md).

- models.py   strict pydantic models of every object, the limits and patterns
- rules.py    the cross-field rules the models cannot say (parents, citations, done)
- reader.py   untrusted bytes -> BundleRead: a parsed bundle or a typed Refusal
- digest.py   RFC 8785 canonical bytes and the SHA-256 integrity digest
- schema.py   the JSON Schema generated from the models (bundle-v1.schema.json)
- export.py   the unit's database -> a bundle file, written safely
- receive.py  a bundle -> the review database, following the verdict table

Importing this package is free; the submodules import pydantic and SQLAlchemy.
"""
