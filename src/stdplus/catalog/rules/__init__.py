"""The catalog's rules as pure functions: no database, no Django.

Each takes the rows it judges and the accessors it needs, so the same rule answers over ORM
rows (the standard's page, its JSON, `stdplus show`) and over the validity check's in-memory
nodes: `chain.follow_chain` (the replacement chain) and `editions.edition_landing` (which
edition a lookup of an identifier lands on). The status rule itself is `stdplus.catalog.status`.
"""
