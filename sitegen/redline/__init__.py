"""What changed between two versions of a statement: sections, then blocks,
then words (``diff``, ``textdiff``, ``blocks``), and the HTML, text and
Markdown forms a reader sees (``forms``).

Pure: texts in, structure and strings out. It never reads or writes a file.
"""
