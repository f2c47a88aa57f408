"""Output profiles: each store's rewrite of the standard package, one module each.

A profile is a transform from the standard :class:`~bookbuild.epub.package.Package`
to another, so the standard EPUB stays exactly what the foundation builds and
each store's quirks live, with their reasons, in its own module (Standard
Ebooks keeps its Kindle and Kobo rewrites apart the same way).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..epub.package import Item, Package
from ..xhtml import serialize


@dataclass(frozen=True)
class Profile:
    name: str  # the format's, which names its file (output/names.py)
    transform: Callable[[Package], Package]


def map_xhtml(package: Package, change: Callable[[Item, etree._Element], bool]) -> Package:
    """Apply ``change`` to every XHTML document; re-serialise those it changed."""
    items = []
    for item in package.items:
        if item.media_type == "application/xhtml+xml":
            root = etree.fromstring(item.data)
            if change(item, root):
                item = dataclasses.replace(item, data=serialize(etree.ElementTree(root)))
        items.append(item)
    return dataclasses.replace(package, items=tuple(items))


def replace_data(package: Package, item_id: str, change: Callable[[bytes], bytes]) -> Package:
    items = tuple(dataclasses.replace(i, data=change(i.data)) if i.id == item_id else i
                  for i in package.items)
    return dataclasses.replace(package, items=items)


def _standard(package: Package) -> Package:
    return package


def epub_profiles() -> dict[str, Profile]:
    from . import kindle, kobo

    return {
        "epub": Profile("epub", _standard),
        "kindle-epub": Profile("kindle-epub", kindle.transform),
        "kobo": Profile("kobo", kobo.transform),
    }
