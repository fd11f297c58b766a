"""``creditgen`` — write synthetic extracts of the contract's shape.

  creditgen --records N --out DIR [--seed S] [--clean]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from creditgen.generator import generate_extracts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="creditgen", description="write synthetic extracts in the contract's format")
    parser.add_argument("--records", type=int, required=True, help="number of 双公示 records (licences + penalties)")
    parser.add_argument("--out", required=True, help="output raw directory")
    parser.add_argument("--seed", type=int, default=20251001)
    parser.add_argument("--clean", action="store_true", help="no injected defects, UTF-8 only")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Path(args.out)
    written = generate_extracts(out, args.records, seed=args.seed, messy=not args.clean)
    for kind, rows in written.items():
        print(f"{kind:12s} {rows:>10,d} rows")
    print(f"wrote extracts to {out}")
    return 0


def entrypoint() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    entrypoint()
