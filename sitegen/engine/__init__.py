"""The build: in what order the stages run, on how many processes, and what is
kept between builds (``.sitegen-cache/``) so that an edit renders only the
pages it touches.

The only package that decides what is cached and under which key; the stages
it drives (``content``, ``markdown``, ``redline``, ``site``) never import it.
It hands every output to ``sitegen.output`` and never touches the output
folder itself.
"""
