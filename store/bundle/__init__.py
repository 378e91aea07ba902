"""Progress bundle, format versions 1 and 2 (shared/spec/bundle-v1.md, bundle-v2.md;
FORMAT.md beside this file says it in the project's own words).

- models.py   strict pydantic models of every object of both versions, limits, patterns
- rules.py    the cross-field rules the models cannot say (parents, citations, done)
- reader.py   untrusted bytes -> BundleRead: a parsed bundle or a typed Refusal
- digest.py   RFC 8785 canonical bytes and the SHA-256 integrity digest
- signing.py  Ed25519 signatures over the same bytes, fingerprints, strict base64
- keycard.py  key cards: read (untrusted) and made (self-signed)
- schema.py   the JSON Schemas generated from the models (bundle-v1/-v2.schema.json)
- export.py   the unit's database -> a signed bundle file, written safely
- receive.py  a bundle -> the review database, following the verdict tables

Importing this package is free; the submodules import pydantic and SQLAlchemy.
"""
