"""The revisions, oldest first: one module each, named r<revision>_<slug>.py."""
