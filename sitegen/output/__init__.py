"""The only code that touches the output folder: a staging folder filled and
swapped in whole, the manifest of what sitegen wrote there, and the guard that
refuses to replace a folder holding anything else.

It never renders and never reads the site's sources.
"""
