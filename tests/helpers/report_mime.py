#!/usr/bin/python3
"""report_mime.py - check a tm-report mail with Python's email package and
a PNG decoder of its own (zlib and struct only), for t7601.

    report_mime.py MAIL TEXT NIMG   exit 0 when the structure is right

MAIL must be multipart/alternative of text/plain (equal to the file TEXT,
line ends aside) and multipart/related of text/html and NIMG image/png
parts, every image referenced by cid: from the HTML and every PNG valid:
signature, IHDR first, every chunk's CRC, IDAT inflating to exactly
height * (1 + width * bytes per pixel) bytes, filter bytes 0-4, palette
indices inside PLTE.  Prints the subject and the PNG sizes.
"""
import email
import email.policy
import struct
import sys
import zlib


def fail(msg):
    print("report_mime: " + msg, file=sys.stderr)
    sys.exit(1)


def check_png(data, name):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s: no PNG signature" % name)
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 8 > len(data):
            fail("%s: truncated chunk" % name)
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(typ + body) != crc:
            fail("%s: bad CRC in %r" % (name, typ))
        chunks.append((typ, body))
        pos += 12 + n
    if chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        fail("%s: IHDR first and IEND last" % name)
    w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB",
                                                           chunks[0][1])
    if depth != 8 or ctype not in (2, 3, 6) or comp or filt or inter:
        fail("%s: unexpected IHDR %r" % (name, chunks[0][1]))
    bpp = {2: 3, 3: 1, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(b for t, b in chunks if t == b"IDAT"))
    if len(raw) != h * (1 + w * bpp):
        fail("%s: IDAT inflates to %d bytes, not %d" % (name, len(raw),
                                                         h * (1 + w * bpp)))
    colours = set()
    for y in range(h):
        row = raw[y * (1 + w * bpp):(y + 1) * (1 + w * bpp)]
        if row[0] > 4:
            fail("%s: filter %d on row %d" % (name, row[0], y))
        colours.update(row[1:])
    if ctype == 3:
        plte = [b for t, b in chunks if t == b"PLTE"]
        if len(plte) != 1 or len(plte[0]) % 3:
            fail("%s: no PLTE" % name)
        if max(colours) >= len(plte[0]) // 3:
            fail("%s: palette index out of PLTE" % name)
    if len(colours) < 2:
        fail("%s: a blank image" % name)
    return w, h


def main():
    mail, textfile, nimg = sys.argv[1], sys.argv[2], int(sys.argv[3])
    raw = open(mail, "rb").read()
    for ln in raw.split(b"\r\n"):
        if b"\n" in ln or len(ln) > 998:
            fail("a line not ended by CRLF, or longer than 998")
    m = email.message_from_bytes(raw, policy=email.policy.default)
    if m.defects:
        fail("defects: %r" % m.defects)
    for h in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        if m[h] is None:
            fail("no %s header" % h)
    if m.get_content_type() != "multipart/alternative":
        fail("top part is " + m.get_content_type())
    parts = m.get_payload()
    kinds = [p.get_content_type() for p in parts]
    if kinds != ["text/plain", "multipart/related"]:
        fail("alternative parts: %r" % kinds)
    text = parts[0].get_content()
    want = open(textfile, encoding="utf-8").read()
    if text.replace("\r\n", "\n") != want:
        fail("the text part differs from the text report")
    rel = parts[1].get_payload()
    if rel[0].get_content_type() != "text/html":
        fail("related does not start with text/html")
    html = rel[0].get_content()
    imgs = rel[1:]
    if len(imgs) != nimg:
        fail("%d images, not %d" % (len(imgs), nimg))
    for p in imgs:
        if p.get_content_type() != "image/png":
            fail("a related part is " + p.get_content_type())
        cid = p["Content-ID"].strip("<>")
        if ("cid:" + cid) not in html:
            fail("image %s is not referenced by the HTML" % cid)
        w, h = check_png(p.get_payload(decode=True), cid)
        print("png %s %dx%d" % (cid.split(".")[0], w, h))
    print("subject " + str(m["Subject"]))


main()
