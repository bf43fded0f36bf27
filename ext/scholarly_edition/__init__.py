"""An annotated scholarly edition, built with Sphinx and MyST.

The package holds two things that share one data model:

* the converter (:mod:`edition.convert`) that turns verbatim source texts and their
  metadata into MyST pages, and its command line (:mod:`edition.cli`);
* the Sphinx extension (:mod:`scholarly_edition.sphinxext`) that builds the edition's apparatus.
"""

__version__ = "0.1.0"
