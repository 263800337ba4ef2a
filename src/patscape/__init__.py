"""patscape: open patent intelligence for generative AI."""

__version__ = "0.1.0"
