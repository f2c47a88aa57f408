"""The book's sources: the manuscript's chapters in reading order, and the book's date.
Takes a BookConfig, returns a Manuscript."""
