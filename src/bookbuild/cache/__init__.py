"""The user's cache: converted chapters keyed by everything that shaped them, and the one way cache
files are written. Takes a Reading or a ConvertedChapter, returns it again on the next build."""
