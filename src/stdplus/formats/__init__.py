"""The site's one date format, in every language: 2026-11-26 and 2026-11-26 14:30 (ISO 8601, as
standards and their notices write dates). Django's own formats for a language would otherwise
print a date left unformatted in a template as "Nov. 26, 2026" or "2026年11月26日"."""
