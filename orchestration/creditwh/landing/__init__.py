"""Landing: every delivered extract file into the ``raw`` schema, losslessly.

Files are read as delivered (any of the contract's encodings and formats), their headers
mapped to the contract's names, identity numbers replaced by keyed hashes before they touch
the warehouse, and every file and unusable line accounted for in ``raw.extract_files`` and
``raw.parse_rejects``. Cleaning, typing and defect flags are the staging layer's (dbt).
"""
