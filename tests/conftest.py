"""Root of the test suite. pytest puts this folder on ``sys.path`` for it, so every test module can import
the shared helpers beside it (``tool_scripts``) by name; never as ``tests.*``, which a site-packages
module of that name shadows."""
