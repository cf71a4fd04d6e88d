"""summarise: an automatic multi-article news summariser that writes a cited daily digest."""

__version__ = "0.1.0"
