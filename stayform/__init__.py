"""stayform: hotel booking emails in, booking forms out."""

__version__ = "0.1.0"
