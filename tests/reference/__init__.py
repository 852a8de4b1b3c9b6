"""Reference values for the tests, computed independently of the package (mostly in R).

One module per topic (``rates``, ``predictions``, ``arrests``, ``baserates``,
``heterogeneity``), each written by the R script of the same name in ``R/``; every value
follows, as a comment, the call that produced it and R's printed result. See README.md for
how to regenerate them. The modules hold plain Python constants: importing them needs
neither R nor anything outside the standard library.
"""


class Holder:
    """Named reference values, read as attributes (like statsmodels' testing Holder)."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"Holder({fields})"
