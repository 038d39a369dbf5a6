"""Helpers shared by the generators of test inputs under tests/data/*/generate.py:
PEM armour, and a DER tree for changing one field of a real file (definite
lengths only; encoding the tree again recomputes every length)."""
import base64
import os


def make_out(here, manifest):
    """out(name, data, what): write @here/@name, and list it in @manifest."""
    def out(name, data, what):
        with open(os.path.join(here, name), 'wb') as f:
            f.write(data)
        manifest.append((name, what))
    return out


def read_file(directory, rel):
    with open(os.path.join(directory, rel), 'rb') as f:
        return f.read()


def pem_body(pem):
    """DER inside the first PEM block."""
    lines = pem.decode().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith('-----BEGIN'))
    end = next(i for i, l in enumerate(lines) if l.startswith('-----END') and i > start)
    return base64.b64decode(''.join(lines[start + 1:end]))


def pem(label, der, width=64):
    b = base64.b64encode(der).decode()
    body = '\n'.join(b[i:i + width] for i in range(0, len(b), width))
    return ('-----BEGIN %s-----\n%s\n-----END %s-----\n' % (label, body, label)).encode()


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


class Node:
    """A TLV: primitive (content) or constructed (children)."""

    def __init__(self, tag, content=None, children=None):
        self.tag, self.content, self.children = tag, content, children

    def encode(self):
        body = b''.join(c.encode() for c in self.children) if self.children is not None else self.content
        return bytes([self.tag]) + der_len(len(body)) + body

    def __getitem__(self, i):
        return self.children[i]


def _parse_one(data, pos):
    tag = data[pos]
    l = data[pos + 1]
    pos += 2
    if l & 0x80:
        n = l & 0x7f
        l = int.from_bytes(data[pos:pos + n], 'big')
        pos += n
    content = data[pos:pos + l]
    assert len(content) == l, 'truncated DER'
    if tag & 0x20:
        kids, p = [], 0
        while p < l:
            k, p = _parse_one(content, p)
            kids.append(k)
        return Node(tag, children=kids), pos + l
    return Node(tag, content=content), pos + l


def parse(data):
    """The DER @data as a Node tree (single-octet tags only)."""
    node, end = _parse_one(data, 0)
    assert end == len(data), 'trailing data'
    return node


def integer(v):
    """An INTEGER node of value @v (two's complement, minimal length)."""
    n = max(1, (v.bit_length() + 8) // 8 if v >= 0 else ((-v - 1).bit_length() + 8) // 8)
    return Node(0x02, content=v.to_bytes(n, 'big', signed=True))
