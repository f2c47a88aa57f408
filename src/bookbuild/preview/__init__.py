"""`bookbuild preview`: the book served to a real reading system in Chromium, and screenshots.
Takes a book directory or an EPUB, returns nothing (a server until stopped)."""
