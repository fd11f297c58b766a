"""The Dagster home every run records into: `creditwh run`, `./dev ui` (dagster dev), its schedules and
sensors, so the UI shows each command-line run with its materialisations, checks and logs.

Settings.dagster_home says where (beside the warehouse unless CREDIT_DAGSTER_HOME or DAGSTER_HOME
says otherwise). This module only makes the folder and its dagster.yaml; it imports no Dagster.

``python -m creditwh.warehouse.dagster_home`` prepares it and prints its path: the `dev` script
starts `dagster dev` with DAGSTER_HOME set to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from creditwh.warehouse.settings import Settings, SettingsError

INSTANCE_YAML = "dagster.yaml"

# Dagster's defaults (SQLite storage in this folder) suit one warehouse on one machine. Runs queue one
# at a time: DuckDB allows one writer, and a second run would only wait for the warehouse lock. Nothing
# is sent out (telemetry), and the UI opens on the runs, not on a newsletter sign-up (nux).
DEFAULT_INSTANCE_YAML = """\
# The Dagster instance of the credit warehouse: `creditwh run`, `./dev ui` (dagster dev),
# its schedules and sensors record their runs here. Written by creditwh when missing; edit freely.
telemetry:
  enabled: false
nux:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """The settings' Dagster home, made with a dagster.yaml if it has none (an existing one is kept)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    instance_yaml = home / INSTANCE_YAML
    if not instance_yaml.exists():
        instance_yaml.write_text(DEFAULT_INSTANCE_YAML, encoding="utf-8")
    return home


def main() -> int:
    try:
        home = prepare_dagster_home(Settings.from_env())
    except SettingsError as exc:
        print(f"creditwh: {exc}", file=sys.stderr)
        return 2
    print(home)
    return 0


if __name__ == "__main__":
    sys.exit(main())
