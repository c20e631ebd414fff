"""The theme's templates as one Jinja2 environment, and template errors as
``file:line``.

The loader chain puts the site's ``theme/templates`` before the default theme's;
undefined names are errors (``StrictUndefined``); compiled templates can be kept
between builds (a Jinja2 bytecode cache, see ``compiled``).
"""
from __future__ import annotations

import jinja2

from .. import i18n
from ..redline import forms as redline
from ..errors import ContentError
from ..content.model import Site, Theme


def make_environment(theme: Theme, compiled: jinja2.BytecodeCache | None = None
                     ) -> jinja2.Environment:
    """The theme's templates (the site's first); ``compiled`` keeps compiled
    templates between builds (see ``engine/compiled.py``)."""
    loaders = [jinja2.FileSystemLoader(str(d / "templates")) for d in theme.dirs]
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False,      # one environment per build
                             bytecode_cache=compiled)
    env.filters["inline"] = redline.inline_html
    env.filters["marked"] = redline.marked
    env.filters["plain"] = str      # a fallback string without its lang mark (i18n.Foreign)
    env.filters["bdi"] = i18n.isolated
    return env


def _template_frame(err: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in the traceback of ``err``."""
    found, tb = None, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def in_template(err: BaseException) -> bool:
    return _template_frame(err) is not None


def template_error(err: Exception, site: Site) -> ContentError:
    """A template problem as ``file:line`` of the template, found in the traceback."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None) or 0
    if filename is None and (frame := _template_frame(err)) is not None:
        filename, line = frame
    shown = str(filename or "template")
    if shown.startswith(str(site.root)):
        shown = shown[len(str(site.root)) + 1:]
    if isinstance(err, jinja2.TemplateNotFound):
        message = f"template `{err.name}` not found in the theme"
    elif isinstance(err, jinja2.TemplateError):
        message = getattr(err, "message", None) or str(err)
    else:
        message = f"{type(err).__name__}: {err}"
    return ContentError(shown, line, f"template error: {message}")
