"""The whole graph on the bundled raw_samples/: what `./dev run` builds."""

from __future__ import annotations

import pytest

from creditwh.warehouse.settings import REPO_ROOT

from .helpers import query, run


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return run(REPO_ROOT / "raw_samples", tmp_path_factory.mktemp("wh"), pytest.MonkeyPatch())


def test_samples_build_with_every_gate_passing(samples):
    report, _ = samples
    assert report.ok, (report.steps_failed, report.checks_failed)


def test_samples_land_every_kind_and_reconcile(samples):
    _, wh = samples
    landed = dict(query(wh, "select kind, sum(rows_landed) from audit.extract_files group by kind"))
    for kind in ("registry", "license", "penalty", "credit_list", "commitment", "repair"):
        assert landed.get(kind, 0) > 0, kind
    assert query(wh, """select count(*) from audit.extract_files
                        where status = 'loaded' and rows_read <> rows_landed + rows_rejected""") == [(0,)]
    statuses = {s for (s,) in query(wh, "select distinct status from audit.extract_files")}
    assert statuses == {"loaded", "rejected", "duplicate"}
    assert query(wh, "select count(*) from audit.rejected_rows")[0][0] > 0


def test_samples_exercise_both_encodings_and_legacy_keying(samples):
    _, wh = samples
    encodings = {e for (e,) in query(wh, "select distinct encoding from audit.extract_files where status = 'loaded'")}
    assert {"utf-8", "gb18030"} <= encodings
    keyed_by = {k for (k,) in query(wh, "select distinct keyed_by from intermediate.int_penalties__current")}
    assert "legacy_org_code" in keyed_by or "legacy_tax_no" in keyed_by
