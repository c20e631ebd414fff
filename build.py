"""Build the site in this folder: the same as `sitegen build` with its defaults.

    python build.py [--out DIR] [--base-url URL] [--today YYYY-MM-DD]
"""
import sys

from sitegen.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
