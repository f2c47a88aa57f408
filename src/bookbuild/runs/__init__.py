"""Driving builds: catalogs of many books, watch, and the outcome of one book's build as data.
Takes BuildOptions, returns outcomes; above build.py, which knows nothing of them."""
