"""Bringing existing statements into a site: ``sitegen import git`` reads a
file's history in a git repository, ``sitegen import document`` a Word, HTML or
Markdown file. Each turns what it reads into ``Text`` values; ``target`` alone
writes them into the site, all or nothing.

It never changes or deletes a file that exists, and never writes outside the
site's folder.
"""
