"""Every stream of a PDF measured inflated, a megabyte at a time, before
PDFium inflates any whole: a small PDF can hold a gigabyte of zeros (a zip
bomb's trick), and PDFium decodes a page's content, and a font's program,
whole when it loads them (1.5 GB of zeros took 2.6 GB and 9 s).

The streams are found in the file's bytes (``<< ... >> stream``), not through
its cross-reference table, so a damaged table hides none; an encrypted PDF
(opened with an empty password) is measured in the unencrypted copy PDFium
writes of it.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..safety import limits

_STREAM = re.compile(rb">>\s*stream\r?\n")
_OBJ = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_COLUMNS = re.compile(rb"/Columns\s+(\d+)")
_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.)*)\)", re.S)
_HEX = re.compile(rb"(?<!<)<([0-9A-Fa-f\s]+)>")
#: Streams that show no text: font programs, images, object and
#: cross-reference streams, metadata (their strings would count as text).
_NO_TEXT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)\b"
                      rb"|/Type\s*/(?:ObjStm|XRef|Metadata)\b")
#: A character a PDF shows takes at most this many bytes of its string (the
#: longest code a CMap gives; most take one or two): more string bytes than
#: this many times the character limit can only show more characters.
MOST_BYTES_PER_CHARACTER = 4
#: Filters of an image's own, which PDFium decodes only to render it: the import never does.
_IMAGE = frozenset({b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode"})


def check_streams(data: bytes, path: Path) -> None:
    """Refuse the PDF (``data``, its bytes) if a stream inflates past the
    limit, or if its streams' strings hold more bytes than the text of a PDF
    within its character limit could (``MOST_BYTES_PER_CHARACTER`` each):
    PDFium sets a page's text whole when the page loads, so a page of
    millions of characters would cost gigabytes before a count of its own
    could stop it."""
    bound = limits.current()
    limit = bound.pdf_stream_mb * limits.MB
    strings = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        header = data[max(0, start - 4096):match.start() + 2]
        objects = list(_OBJ.finditer(header))
        if objects:
            header = header[objects[-1].end():]
        length = _LENGTH.search(header)
        end = start + int(length.group(1)) if length else -1
        if end < 0 or data.find(b"endstream", end, end + 64) < 0:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        size, shown = _inflated(data[start:end], header, limit)
        if size > limit:
            which = f"object {objects[-1].group(1).decode()}" if objects else "a stream"
            raise limits.LimitError(
                f"{which} inflates to more than {bound.pdf_stream_mb:,} MB, more than "
                "the limit (pdf-stream-mb): a zip bomb?", path)
        strings += shown
        if strings > MOST_BYTES_PER_CHARACTER * bound.pdf_characters:
            raise limits.LimitError(
                f"its content holds more than {bound.pdf_characters:,} characters of text, more "
                "than the limit (pdf-characters)", path)


def _inflated(data: bytes, header: bytes, limit: int) -> tuple[int, int]:
    """The size of the stream decoded, following its filters in order, never
    holding more than the limit: Flate and LZW are counted as they decode;
    ASCIIHex, ASCII85 and RunLength decode whole only once a bound of their
    output (from their input's size) is under the limit; CCITT, an image's,
    is bounded (Group 4 spends at least a bit on each row of Columns pixels).
    Counting only a first Flate let ``[/ASCIIHexDecode /FlateDecode]`` inflate
    gigabytes; refusing such chains would refuse honest ASCII-armoured PDFs.
    Past the limit, a size over it. Beside it, the bytes of the strings in
    the decoded stream, if it is one that can show text (not a font program,
    an image, an object or cross-reference stream, metadata)."""
    found = _FILTERS.search(header)
    filters = _NAME.findall(found.group(1)) if found else []
    text = not _NO_TEXT.search(header)
    size, shown = len(data), 0
    for n, name in enumerate(filters):
        if name in (b"FlateDecode", b"Fl"):
            pieces = _inflate(data)
        elif name in (b"LZWDecode", b"LZW"):
            pieces = _lzw(data)
        elif name in _IMAGE:
            return size, 0
        else:
            columns = _COLUMNS.search(header)
            bound, decode = (
                (len(data) // 2 + 1, _hex) if name in (b"ASCIIHexDecode", b"AHx") else
                (len(data) + 4 * data.count(b"z"), _a85) if name in (b"ASCII85Decode", b"A85") else
                (64 * len(data), _run_length) if name in (b"RunLengthDecode", b"RL") else
                (len(data) * max(1, int(columns.group(1)) if columns else 1728), None)
                if name in (b"CCITTFaxDecode", b"CCF") else (0, None))
            if bound > limit:
                return bound, 0
            if decode is None:  # CCITT within its bound, or a filter PDFium itself refuses
                return max(size, bound), 0
            try:
                pieces = iter([decode(data)])
            except (ValueError, binascii.Error):  # PDFium meets it again and says so
                return size, 0
        size, kept, last = 0, [], n + 1 == len(filters)
        for piece in pieces:
            size += len(piece)
            if size > limit:
                return size, shown
            if not last:
                kept.append(piece)
            elif text:
                shown += _strings(piece)
        data = b"".join(kept)
    return size, shown + (_strings(data) if text and not filters else 0)


def _strings(data: bytes) -> int:
    """The bytes the literal and hex strings of ``data`` hold (a string cut
    between two pieces of a stream is missed: a bound, not a count)."""
    return sum(len(m) for m in _LITERAL.findall(data)) \
        + sum(len(m) // 2 for m in _HEX.findall(data))


def _inflate(data: bytes) -> Iterator[bytes]:
    """Flate-decoded ``data``, a megabyte at a time (of a corrupt stream, what decodes)."""
    inflate = zlib.decompressobj()
    try:
        while data:
            yield inflate.decompress(data, limits.MB)
            data = inflate.unconsumed_tail
    except zlib.error:
        return


def _lzw(data: bytes) -> Iterator[bytes]:
    """LZW-decoded ``data`` (with the early change PDF sets by default), a code at a time."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    buffer = held = 0
    width, previous = 9, b""
    for byte in data:
        buffer, held = (buffer << 8) | byte, held + 8
        while held >= width:
            held -= width
            code, buffer = buffer >> held, buffer & ((1 << held) - 1)
            if code == 256:  # clear
                del table[258:]
                width, previous = 9, b""
                continue
            if code == 257 or (code >= len(table) and not previous):  # the end, or corrupt
                return
            entry = table[code] if code < len(table) else previous + previous[:1]
            if previous:
                table.append(previous + entry[:1])
            yield entry
            previous = entry
            if len(table) + 1 >= 1 << width and width < 12:
                width += 1


def _hex(data: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", data.split(b">", 1)[0])
    return binascii.unhexlify(digits + b"0" * (len(digits) % 2))


def _a85(data: bytes) -> bytes:
    text = re.sub(rb"\s", b"", data.split(b"~>", 1)[0])
    return base64.a85decode(text.removeprefix(b"<~"))


def _run_length(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            out += data[i + 1:i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1:i + 2] * (257 - n)
            i += 2
    return bytes(out)
