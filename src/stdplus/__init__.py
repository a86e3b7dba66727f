"""stdplus: a public standards information and technical service platform."""

__version__ = "0.1.0"
