"""creditgen — synthetic departmental extracts for the warehouse's tests, samples and benchmark.

``generate_extracts`` writes ``<out_dir>/<kind>/<name>.csv`` for the six kinds of the input
contract (shared/domain/extracts.md), with the contract's headers. The world is three Shandong
cities (济南, 淄博, 枣庄), their departments, a population of registered entities and of natural
persons. Every generated identifier is valid by construction (``creditwh.codes``) unless a
defect is injected on purpose.

It follows the project's own data and keeps no copy of it (reference.py): regions, code lists
and sanction rules from the dbt seeds, empty markers from the dbt vars, columns from the
extract contract. It imports ``creditwh``; ``creditwh`` never imports it.

Design for size: rows are produced in chunks of ``CHUNK_ROWS`` with numpy vectorisation,
entity and person attributes are pure functions of their index (no table is held in
memory), and files are streamed: memory stays flat whatever ``records`` is.

With ``messy=True`` the defects departments really deliver are injected at the low
rates of rates.py (``RATE_*`` per row or per cell, ``FILE_RATE_*`` per file).
With ``messy=False`` every file is clean UTF-8 with canonical headers.
"""

from creditgen.departments import DEPARTMENTS, DEPT_BY_KEY, Department
from creditgen.generator import generate_extracts
from creditgen.kinds import KINDS
from creditgen.places import CITIES, REGIONS
from creditgen.world import World
from creditgen.xlsx import write_xlsx

__all__ = [
    "KINDS", "CITIES", "REGIONS", "DEPARTMENTS", "DEPT_BY_KEY", "Department", "World",
    "generate_extracts", "write_xlsx",
]
