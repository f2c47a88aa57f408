"""Notes, from Pandoc's reading of a chapter to linked endnotes.

``source`` finds them in Pandoc's AST with their problems, ``plan``
numbers them and decides where they go, ``markup`` writes their XHTML.
"""
