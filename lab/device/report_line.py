"""The one way the GPU check's part scripts write a line for ``report.md``: ``[report] <markdown>``.

``gpu_check.py`` (``section``) copies these lines from each part's log into the report. Standard library
only, beside the scripts that use it (``env_check.py``, ``model_throughput.py``, ``pipeline_check.py``,
run as ``python lab/device/<script>.py``, which puts this folder on ``sys.path``): part ``env`` must
report even where ``multisiam_mm`` or its stack does not import.
"""
MARKER = '[report]'


def say(line: str = '') -> None:
    """Print ``line`` for the report (flushed: a part killed for time keeps what it said)."""
    print(f'{MARKER} {line}', flush=True)
