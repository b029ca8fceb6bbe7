"""Root of the test suite. pytest puts this folder on ``sys.path`` for it, so every test module can import
the shared helpers beside it (``tool_scripts``) by name; never as ``tests.*``, which a site-packages
module of that name shadows."""


def pytest_configure(config):
    config.addinivalue_line('markers', 'cuda: compares a component or a training step on a CUDA device with the '
                            'CPU (tests/cuda); skipped without CUDA unless MULTISIAM_CHECK_DEVICE=cpu')
