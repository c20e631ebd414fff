"""What the engine keeps of the results the stages ask ``reuse`` for, and how long.

One line a kind: ``BUILD``, for this build only (within it, versions and
redlines share most of their work); ``KEPT``, also between builds, in
``.sitegen-cache/``; ``PACKED``, between builds, pickled until a build asks
for it (results of which a rebuild reads few: loading them all would cost more
than the few it reads save). The comments give what a kind buys.
"""
from __future__ import annotations

BUILD, KEPT, PACKED = "build", "kept", "packed"

POLICY = {
    "yaml mapping": KEPT,               # YAML is most of the cost of loading a site
    "language problem": KEPT,           # CLDR's answer: Babel need not be imported
    "statement": KEPT,                  # a loaded statement, by its file's SHA-256
    "long date": KEPT,
    "language name": KEPT,
    "direction": KEPT,
    "statement html": KEPT,             # a converted statement: 800 on 200 x 4
    "markdown part": BUILD,             # versions share most parts of their text
    "chunk": BUILD,
    "chunk of an open version": PACKED,  # an edit converts the one chunk it is in
    "parsed part": BUILD,
    "named sections": PACKED,           # read by the redlines an edit changes
    "section diff": BUILD,
    "section diff against the current version": PACKED,  # each edit of it: 199 redlines
    "section html": BUILD,
    "rights changes": KEPT,             # for the feed and the history, of every pair
    "feed entry": KEPT,
    "versions.json entry": KEPT,        # json's indenting encoder is pure Python
    "versions.json diffs": KEPT,
}
SAME_AS = {     # kinds that differ only in how long they are kept share their results
    "chunk of an open version": "chunk",
    "section diff against the current version": "section diff",
}
