"""A failed dbt step says which nodes failed and why, from dbt's own error events (the step writes
no run_results.json: --no-write-json)."""

from creditwh.defs.dbt.assets import _failed_nodes

# dbt 1.11's error events, as `dbt build --log-format json` emits them (node unique_id -> messages)
A_FAILING_TEST = {
    "test.creditwh.unique_mart_entity_penalties_record_key.da391ce32e": [
        "Failure in test unique_mart_entity_penalties_record_key (models/marts/profile/mart_entity_penalties.yml)",
        "  Got 1 result, configured to fail if != 0",
    ],
}
A_MODEL_ERROR = {
    "model.creditwh.penalty_disclosures": [
        "Failure in model penalty_disclosures (models/public/penalty_disclosures.sql)",
        "  Runtime Error in model penalty_disclosures (models/public/penalty_disclosures.sql)\n"
        "  Binder Error: Referenced column \"publication_status\" not found in FROM clause!\n"
        "  Candidate bindings: \"x\"\n  \n  LINE 20:     select record_key",
    ],
}


def test_a_failing_test_is_named_with_what_it_found():
    assert _failed_nodes(A_FAILING_TEST) == (
        "dbt build failed — unique_mart_entity_penalties_record_key: Got 1 result, configured to fail if != 0")


def test_a_model_error_is_named_with_the_database_error():
    assert _failed_nodes(A_MODEL_ERROR) == (
        "dbt build failed — penalty_disclosures: Binder Error: Referenced column \"publication_status\" "
        "not found in FROM clause!")


def test_both_are_listed_and_no_error_events_still_fail():
    assert _failed_nodes({**A_FAILING_TEST, **A_MODEL_ERROR}).count(" | ") == 1
    assert _failed_nodes({}) == "dbt build failed"
