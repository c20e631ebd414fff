"""Reading a site: files -> a validated ``Site`` (frozen dataclasses, ``model``).

The only package that reads the site's own files (``content/``, ``versions/``,
``theme/``); every problem it finds names the file and line. It never converts
Markdown, renders a page, writes a file or keeps anything between builds.
"""

SITE_FILE = "content/site.yaml"     # what makes a folder a site
MEDIA_FOLDER = "content/assets"     # a statement's images: ![what it shows](assets/name.png)
MEDIA_DIR = "media"                 # where the build publishes them, once for every page
