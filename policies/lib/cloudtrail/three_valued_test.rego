package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail

test_one_selector_that_keeps_every_event_is_enough if {
	cloudtrail.any_of(["no", "unknown", "yes"]) == "yes"
	cloudtrail.any_of(["no", "unknown", "partial"]) == "unknown"
	cloudtrail.any_of(["no", "partial"]) == "no"
	cloudtrail.any_of([]) == "no"
}

test_one_condition_that_drops_the_events_drops_them if {
	cloudtrail.all_of(["yes", "partial", "unknown", "no"]) == "no"
	cloudtrail.all_of(["yes", "unknown", "partial"]) == "partial"
	cloudtrail.all_of(["yes", "unknown"]) == "unknown"
	cloudtrail.all_of([]) == "yes"
	cloudtrail.negation.unknown == "unknown"
}

test_statuses_from_answers if {
	cloudtrail.verdict_status({"no", "yes"}) == "pass"
	cloudtrail.verdict_status({"no", "partial", "unknown"}) == "unknown"
	cloudtrail.verdict_status({"partial"}) == "fail"
	cloudtrail.verdict_status(set()) == "fail"
}

test_coverage_needs_one_trail_that_records_and_covers if {
	cloudtrail.coverage_status([["yes", "no"], ["no", "yes"]]) == "fail"
	cloudtrail.coverage_status([["yes", "no"], ["unknown", "yes"]]) == "unknown"
	cloudtrail.coverage_status([["yes", "unknown"], ["yes", "yes"]]) == "pass"
}
