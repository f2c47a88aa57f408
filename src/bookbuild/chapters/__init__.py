"""Each chapter on its own: Pandoc's reading (AST, notes, problems) and its conversion to XHTML
(images, typography, accessibility). Takes a Chapter, returns a Reading, then a ConvertedChapter."""
