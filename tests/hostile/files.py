"""Bad and hostile files for the upload tests: built here, small, deterministic."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """``data`` (a zip) with some members replaced or added (None: removed), compressed as hard as
    deflate goes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info, source.read(info.filename))
            elif replace[info.filename] is not None:
                target.writestr(info.filename, replace[info.filename])
        for name, content in replace.items():
            if content is not None and name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def xlsx_with_sheet_data(cells_xml: str, dimension: bool = True) -> bytes:
    """A workbook whose first sheet's <sheetData> is ``cells_xml`` (optionally without its <dimension>)."""
    data = xlsx([["priority"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    if not dimension:
        sheet = re.sub(r"<dimension[^>]*/>", "", sheet)
    sheet = re.sub(r"<sheetData>.*</sheetData>", lambda _: f"<sheetData>{cells_xml}</sheetData>", sheet, flags=re.S)
    return rezip(data, {SHEET: sheet.encode()})


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_bomb(rows: int = 2000, columns: int = 1000) -> bytes:
    """A small file (a few hundred KB) whose sheet holds ``rows`` × ``columns`` cells and no <dimension>."""
    row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * columns + "</row>"
    return xlsx_with_sheet_data(row * rows, dimension=False)


def docx() -> bytes:
    """A minimal Word document (a zip, like an XLSX, but no workbook inside)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()
