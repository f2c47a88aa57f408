"""bookbuild: Markdown chapters with endnotes to valid EPUB 3."""

from .errors import BookbuildError

__all__ = ["BookbuildError", "BuildOptions", "build_book"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """The pipeline is imported on first use, so the command starts fast."""
    if name in ("BuildOptions", "build_book"):
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module 'bookbuild' has no attribute {name!r}")
