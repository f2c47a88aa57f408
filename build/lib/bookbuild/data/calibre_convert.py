"""Run Calibre's ebook-convert reproducibly. Executed by ``calibre-debug -e``.

Calibre stamps the clock, random UUIDs and a random MOBI id into every AZW3,
and orders resources by memory address. This shim pins all four so the same
EPUB and date give the same bytes: the clock to BOOKBUILD_EPOCH (``time.time``
and Calibre's own ``now``/``utcnow``, which read the C clock through
``datetime`` and stamp the publication date of a book without ``date:``), the
random generator to a fixed seed, and the manifest to href order.
Arguments: as for ebook-convert (input, output, options).
"""

import os
import random
import sys
import time
import uuid

random.seed(0)
_epoch = float(os.environ.get("BOOKBUILD_EPOCH", "0"))
time.time = lambda: _epoch
uuid.uuid4 = lambda: uuid.UUID(int=random.getrandbits(128), version=4)

import datetime  # noqa: E402

import calibre.utils.date as calibre_date  # noqa: E402

_fixed = datetime.datetime.fromtimestamp(_epoch, datetime.timezone.utc)
calibre_date.utcnow = lambda: _fixed
calibre_date.now = lambda: _fixed.astimezone(calibre_date._local_tz)

from calibre.ebooks.conversion.cli import main  # noqa: E402
from calibre.ebooks.oeb.base import Manifest  # noqa: E402

Manifest.__iter__ = lambda self: iter(sorted(self.items, key=lambda i: i.href))
Manifest.values = lambda self: sorted(self.items, key=lambda i: i.href)

sys.exit(main(["ebook-convert", *sys.argv[1:]]))
