"""One module per extract kind: each draws a chunk of rows of its kind."""

# the seven kinds of the input contract, in the order they are generated and reported
KINDS = ("registry", "license", "penalty", "credit_list", "commitment", "repair", "objection")
