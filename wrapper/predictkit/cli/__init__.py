"""The ``predictkit`` command line (extra ``cli``: click and rich).

``import predictkit`` never imports this package. The console script ``predictkit`` and
``python -m predictkit`` call ``predictkit.cli._main.main``; the commands live in ``_run``
(``run``), ``_predictions`` (get, list, cancel, wait, stream), ``_resources`` (models, hardware,
search, whoami, variables) and ``_serve``, on the group in ``_app``; exit codes in ``_errors``.
"""
