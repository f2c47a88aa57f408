"""What points across the book: cross-references, citations (citeproc and its styles) and links.
Takes every Reading, returns what each chapter's conversion needs, and settles ids and hrefs."""
