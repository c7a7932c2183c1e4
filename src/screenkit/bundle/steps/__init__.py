"""Step kinds: one module each; `registry.KINDS` maps a kind's name to its module.

Every kind module holds, in one place, how its step is planned (``plan``: inputs, settings,
the key's parameters), a ``commands(step, deps, folders)`` giving the exact ffmpeg argv
lists (what ``--dry-run`` lists and what ``run`` executes), ``run(run)`` and its frozen
``Result``. To add a kind: write ``bundle/steps/<kind>.py`` after these, add it to
``registry.KINDS``, and call its ``plan`` from ``bundle/plan.py``.
"""
