package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_negative_operators_must_all_hold if {
	field := cloudtrail.known("SendEmail", "SendEmail")
	cloudtrail.field_answer({"field": "eventName", "not_equals": ["SendRawEmail", "SendBulkEmail"]}, field) == "yes"
	cloudtrail.field_answer({"field": "eventName", "not_equals": ["SendRawEmail", "SendEmail"]}, field) == "no"
	cloudtrail.field_answer({"field": "eventName", "equals": ["SendRawEmail"], "starts_with": ["Send"]}, field) == "yes"
}

test_unknown_selector_is_unknown if {
	selector := {"name": "computed", "field_selectors": [], "unknown": {"field_selectors": "known only after apply"}}
	cloudtrail.selector_answer(selector, cloudtrail.management_event) == "unknown"
	cloudtrail.management_answer(fx.trail({"advanced_event_selectors": [selector]})) == "unknown"
	cloudtrail.management_reasons(fx.trail({"advanced_event_selectors": [selector]})) == {`selector "computed" is unknown (field_selectors: known only after apply)`}
}

test_unknown_basic_selectors_are_unknown if {
	trail := fx.trail({"advanced_event_selectors": [], "unknown": {"basic_event_selectors": "variable var.selectors has no value"}})
	cloudtrail.management_answer(trail) == "unknown"
}
