"""The kernel <-> browser protocol's version. The schema is ``protocol/schema.json`` at the repo's top."""

PROTOCOL_VERSION = 1
