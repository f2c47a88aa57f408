"""bookbuild: Markdown chapters with endnotes to valid EPUB 3."""

from .build import BuildOptions, build_book
from .errors import BookbuildError

__all__ = ["BookbuildError", "BuildOptions", "build_book"]
__version__ = "0.1.0"
