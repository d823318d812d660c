"""ZIP packages (.docx, .odt) checked before a library unpacks them: zip bombs are refused.

python-docx and odfpy read every part they need with ``ZipFile.read``, which inflates a member in
one call and only then cuts it to the size the central directory declares: a member that declares
1 KB and inflates to gigabytes takes the gigabytes first. So before either library sees the
package, every member is inflated here in bounded chunks and counted, and the package is refused
when

- it declares more than ``limits.current().unpacked`` bytes in total, or more than ``MAX_MEMBERS``
  members (checked from the central directory, before anything is inflated);
- a member inflates to more than it declares (a lying header), or the members inflate to more
  than the limit in total (members that share their compressed data, "overlapping" bombs);
- a member is encrypted or compressed with a method Office and LibreOffice do not write;
- its XML parts hold more tags than the run's character limit can justify (see ``check_zip``):
  parsed, every tag costs memory, and tags compress to almost nothing.

Once a package has passed, the libraries inflate exactly what was counted here.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from ndalint import limits
from ndalint.errors import InputError
from ndalint.ingest.bounds import unpacked_error

#: A Word or LibreOffice document has tens of parts, a few hundred with many images.
MAX_MEMBERS = 10_000
_CHUNK = 1 << 16  # compressed bytes fed to the inflater at a time
_OUT = 1 << 20  # most bytes one inflate call may produce
#: the fixed 30 bytes of a local file header: signature, version, flags, method, time, date, CRC, sizes, name and extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def check_zip(data: bytes, what: str, tags_per_char: int = 5) -> None:
    """Raise InputError when the ZIP package ``data`` could not be unpacked within the run's limits.

    ``what`` names the document in messages ("Word 文書", "OpenDocument 文書"). A package that is
    not a readable ZIP at all is left to the format's reader, which words that message.

    ``tags_per_char``: how many XML tags (``<``) the parts may hold per character of the run's
    ``chars`` limit. A tag costs memory once parsed (about 120 bytes in lxml, 700 in odfpy's DOM)
    whether or not it holds text, and 200 MiB of ``<w:p/>`` deflate to 200 KB: the unpacked size
    alone would let a small upload take gigabytes. Real documents have about one tag per character
    of text (the public corpus: 0.65 to 1.03 in document.xml), and the cap is absolute: at the
    default limit, 10 million tags (about 1.2 GB once parsed by lxml)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with zf:
        members = zf.infolist()
        run = limits.current()
        limit = run.unpacked
        if len(members) > MAX_MEMBERS:
            raise InputError(f"{what}の部品（ZIP のメンバー）が多すぎます（{len(members):,} 個、上限 {MAX_MEMBERS:,} 個）")
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise unpacked_error(what, declared)
        total = tags = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise InputError(f"{what}の部品が暗号化されています。保護を解除してから再実行してください")
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InputError(f"{what}として読めません（未対応の ZIP 圧縮方式 {member.compress_type} の部品があります）")
            xml = member.filename.endswith((".xml", ".rels"))
            size, lts = _inflated_size(data, member, min(member.file_size, limit - total), xml)
            if size > member.file_size:
                raise InputError(f"{what}として読めません（部品 {_name(member)} の実際の展開サイズが宣言より大きい、"
                                 f"壊れたか細工された ZIP です）")
            total += size
            tags += lts
            if total > limit:
                raise unpacked_error(what)
        if tags > tags_per_char * run.chars:
            raise InputError(f"{what}の XML が大きすぎます（タグ {tags:,} 個、上限 {tags_per_char * run.chars:,} 個。"
                             f"上限は本文の文字数の上限に比例し、--limit chars=… で変更できます）")


def _name(member: zipfile.ZipInfo) -> str:
    name = member.filename
    return name if len(name) <= 60 and name.isprintable() else repr(name[:60])


def _inflated_size(data: bytes, member: zipfile.ZipInfo, budget: int, xml: bool = False) -> tuple[int, int]:
    """(bytes ``member`` inflates to, counting no further than ``budget`` and one step; XML tags
    in them when ``xml``).

    Broken data (a bad local header, a corrupt deflate stream) counts what inflated before the
    damage: refusing it is the reader's job, with its own message, when the library trips on it."""
    start = _data_offset(data, member)
    if start is None:
        return 0, 0
    end = min(len(data), start + member.compress_size)
    if member.compress_type == zipfile.ZIP_STORED:
        return end - start, data.count(b"<", start, end) if xml else 0
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total = tags = 0
    view = memoryview(data)
    pos = start
    pending: bytes | memoryview = b""
    try:
        while total <= budget:
            if not pending:
                if pos >= end or inflater.eof:
                    break
                pending = view[pos : min(end, pos + _CHUNK)]
                pos += len(pending)
            out = inflater.decompress(pending, _OUT)
            total += len(out)
            if xml:
                tags += out.count(b"<")
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return total, tags


def _data_offset(data: bytes, member: zipfile.ZipInfo) -> int | None:
    """Where a member's compressed bytes start: after its local header, whose name and extra field
    lengths may differ from the central directory's (as ``zipfile`` reads it)."""
    at = member.header_offset
    header = data[at : at + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return None
    *_, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    return at + _LOCAL_HEADER.size + name_len + extra_len

