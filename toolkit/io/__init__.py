"""Input and output: reading folders of articles (``read``), atomic writes (``atomic``)."""
