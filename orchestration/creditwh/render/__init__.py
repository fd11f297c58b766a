"""One renderer for what the warehouse serves (credit reports, scorecards): the document model and
text formatting (render.table), and the writers (html, xlsx, csv), each a file written atomically."""

from creditwh.render.files import write_atomically, write_by_suffix
from creditwh.render.table import (
    AMOUNT, CHANGE, COUNT, DATE, DOC_NO, EM_DASH, FLAG, RATE, RATIO, SCORE, TEXT, Column, Section, Table, plain, text,
)

__all__ = [
    "AMOUNT", "CHANGE", "COUNT", "DATE", "DOC_NO", "EM_DASH", "FLAG", "RATE", "RATIO", "SCORE", "TEXT", "Column", "Section",
    "Table", "plain", "text", "write_atomically", "write_by_suffix",
]
