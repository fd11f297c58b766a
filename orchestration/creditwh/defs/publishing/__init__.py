"""Publication of the marts for BI tools, after every gate passed."""
