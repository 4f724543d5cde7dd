# SPDX-License-Identifier: MIT
"""Checks that a goroutine dump holds together, as Go's traceback parsers
expect it: a header per goroutine, a function line and a tab-indented
file:line line per frame, at most one elision line, and a created-by pair.
usage: stackshape.py DUMP [in-goroutine]  -> exits 1 (with the offending
lines) when it does not. With in-goroutine (Go 1.21 and later), every
created-by line must name its creator ("in goroutine N")."""
import re
import sys

text = open(sys.argv[1]).read()
creator = len(sys.argv) > 2 and sys.argv[2] == 'in-goroutine'
assert text.strip(), 'an empty dump'
for block in text.split('\n\n'):
    lines = block.strip('\n').split('\n')
    assert re.match(r'goroutine \d+ \[[^\]]+\]:$', lines[0]), lines[0]
    body = lines[1:]
    if body and body[0].startswith('\tgoroutine '):
        body = body[1:]
    if len(body) >= 2 and body[-2].startswith('created by '):
        assert body[-1].startswith('\t'), body
        if creator:
            assert re.search(r' in goroutine \d+$', body[-2]), body[-2]
        body = body[:-2]
    if body and body[-1] == '...additional frames elided...':
        body = body[:-1]
    assert len(body) % 2 == 0, body
    for f, l in zip(body[0::2], body[1::2]):
        assert re.match(r'\S+\((\.\.\.)?\)$', f), f
        assert re.match(r'\t\S+:\d+( \+0x[0-9a-f]+)?$', l), l
