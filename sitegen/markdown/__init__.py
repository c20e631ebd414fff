"""Markdown -> HTML for one statement: Python-Markdown with sitegen's extension,
heading ids, the anchors every later version must keep, and the rights list.

Pure: text in, HTML and problems out. It never reads or writes a file and
never decides what is kept between builds.
"""
