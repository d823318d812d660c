"""The .docx package of the review copy: every part copied byte for byte, except the main document,
the comments part (extended, or added) and — when the comments part is new — the document's
relationships and ``[Content_Types].xml``, each of which gains exactly one entry.

Zip entries keep their order, names, dates and compression; nothing is re-serialised that was not
changed (python-docx's ``save`` would rewrite styles, numbering, settings and properties too).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from ndalint.errors import InputError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_W_ID = f"{{{W_NS}}}id"


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """The zip as read, plus the parts the review replaces or adds."""

    def __init__(self, data: bytes, document_part: str) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise InputError("docx として読めません（ZIP 形式ではありません）") from None
        self.names = self.zip.namelist()
        self.document = document_part.lstrip("/")
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self._comments_name = self._find_comments()

    def read_xml(self, name: str):
        return etree.fromstring(self.zip.read(name), _PARSER)

    def _find_comments(self) -> str | None:
        rels = _rels_name(self.document)
        if rels not in self.names:
            return None
        for rel in self.read_xml(rels).iter(f"{{{PKG_RELS}}}Relationship"):
            if rel.get("Type") == RT_COMMENTS and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                name = (target.lstrip("/") if target.startswith("/")
                        else posixpath.normpath(posixpath.join(posixpath.dirname(self.document), target)))
                return name if name in self.names else None
        return None

    def comments_root(self):
        """The existing ``w:comments`` element (parsed), or a new empty one."""
        if self._comments_name:
            return self.read_xml(self._comments_name)
        return etree.Element(f"{{{W_NS}}}comments", nsmap={"w": W_NS})

    def style_ids(self) -> set[str]:
        """Paragraph and character style ids defined in the styles part (to use Word's comment styles)."""
        name = posixpath.join(posixpath.dirname(self.document), "styles.xml")
        if name not in self.names:
            return set()
        try:
            root = self.read_xml(name)
        except etree.XMLSyntaxError:
            return set()
        return {s.get(f"{{{W_NS}}}styleId") or "" for s in root.iter(f"{{{W_NS}}}style")}

    def set_document(self, root) -> None:
        self.replaced[self.document] = serialize(root)

    def set_comments(self, root) -> None:
        if self._comments_name:
            self.replaced[self._comments_name] = serialize(root)
            return
        folder = posixpath.dirname(self.document)
        name, n = posixpath.join(folder, "comments.xml"), 1
        while name in self.names:
            name, n = posixpath.join(folder, f"comments{n}.xml"), n + 1
        self.added[name] = serialize(root)
        self._add_relationship(posixpath.relpath(name, folder))
        self._add_override("/" + name)

    def _add_relationship(self, target: str) -> None:
        name = _rels_name(self.document)
        root = (self.read_xml(name) if name in self.names
                else etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS}))
        used = {rel.get("Id") for rel in root}
        n = 1
        while f"rId{n}" in used:
            n += 1
        rel = etree.SubElement(root, f"{{{PKG_RELS}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", RT_COMMENTS)
        rel.set("Target", target)
        (self.replaced if name in self.names else self.added)[name] = serialize(root)

    def _add_override(self, partname: str) -> None:
        name = "[Content_Types].xml"
        root = self.read_xml(name)
        override = etree.SubElement(root, f"{{{CT_NS}}}Override")
        override.set("PartName", partname)
        override.set("ContentType", CT_COMMENTS)
        self.replaced[name] = serialize(root)

    def write(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.zip.infolist():
                z.writestr(info, self.replaced.get(info.filename, b"") if info.filename in self.replaced
                           else self.zip.read(info.filename))
            for name, data in self.added.items():
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        return out.getvalue()


def max_id(*roots) -> int:
    """The largest numeric ``w:id`` in the given parts (comments, revisions and bookmarks share the space)."""
    best = -1
    for root in roots:
        for el in root.iter():
            value = el.get(_W_ID)
            if value and re.fullmatch(r"-?\d+", value):
                best = max(best, int(value))
    return best
