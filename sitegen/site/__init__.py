"""The pages of a site: which pages there are and where (``pages``), each
page's context and HTML through the theme's Jinja2 templates (``context``,
``templates``), feeds, sitemap and ``versions.json``.

Pure: a loaded ``Site`` and converted statements in, bytes out, handed to a
sink. It never writes a file, starts a process or keeps anything between builds.
"""
