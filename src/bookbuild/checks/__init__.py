"""Checking what was written: EPUBCheck (one checker), the note links of any EPUB, Ace by DAISY.
Takes a file, returns a CheckResult."""
