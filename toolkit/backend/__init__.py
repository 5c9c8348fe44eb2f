"""``toolkit serve``: a Label Studio ML backend that serves the extractor and learns from annotations.

``app`` speaks Label Studio's protocol, ``predict`` turns a task into the
one prediction ``push`` would make, ``learner`` pulls annotated tasks and
retrains in the background, ``home`` is what it keeps on disk, ``retrain``
the child process that trains, ``connect`` registers a backend with a project.
See docs/BACKEND.md.
"""
