"""sitegen: versioned, multilingual privacy statements as a static website."""

__version__ = "0.1.0"      # the one place it is written; pyproject.toml reads it

__all__ = ["__version__"]
