package sescheck.rules.cloudtrail.ct_003_test

import data.sescheck.rules.cloudtrail.ct_003 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

with_selectors(basic, advanced) := fx.posture([fx.trail({
	"basic_event_selectors": basic,
	"advanced_event_selectors": advanced,
})])

passes(posture) if {
	count(check.findings) == 0 with input as posture
	count(check.checked) > 0 with input as posture
}

fail_message(posture) := finding.message if {
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "fail"
	finding.rule_id == "CT-003"
}

unknown_message(posture) := finding.message if {
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "unknown"
}

test_trail_without_selectors_records_management_events if {
	passes(with_selectors([], []))
}

test_basic_selector_all_or_write_only_passes if {
	passes(with_selectors([fx.basic_selector({})], []))
	passes(with_selectors([fx.basic_selector({"read_write_type": "WriteOnly"})], []))
	passes(with_selectors([fx.basic_selector({"read_write_type": null, "include_management_events": null})], []))
}

test_basic_selector_read_only_fails if {
	message := fail_message(with_selectors([fx.basic_selector({"read_write_type": "ReadOnly"})], []))
	message == "SES management events in eu-west-1 are not recorded: trail main: basic selector #1: read_write_type ReadOnly records no write events"
}

test_basic_selector_without_management_events_fails if {
	message := fail_message(with_selectors([fx.basic_selector({"include_management_events": false})], []))
	contains(message, "basic selector #1: include_management_events is false")
}

test_basic_selector_excluding_ses_fails if {
	selector := fx.basic_selector({"exclude_management_event_sources": ["ses.amazonaws.com"]})
	message := fail_message(with_selectors([selector], []))
	contains(message, "exclude_management_event_sources drops ses.amazonaws.com")
	passes(with_selectors([fx.basic_selector({"exclude_management_event_sources": ["kms.amazonaws.com"]})], []))
}

test_one_basic_selector_including_management_events_is_enough if {
	passes(with_selectors([fx.basic_selector({"include_management_events": false}), fx.basic_selector({})], []))
}

test_advanced_management_selector_passes if {
	passes(with_selectors([], [fx.management_selector([])]))
	passes(with_selectors([], [fx.management_selector([{"field": "readOnly", "equals": ["false"]}])]))
}

test_advanced_management_selector_for_reads_only_fails if {
	message := fail_message(with_selectors([], [fx.management_selector([{"field": "readOnly", "equals": ["true"]}])]))
	contains(message, `selector "Management events": readOnly Equals [true] excludes write events (readOnly false)`)
}

test_advanced_management_selector_excluding_ses_fails if {
	selector := fx.management_selector([{"field": "eventSource", "not_equals": ["ses.amazonaws.com"]}])
	message := fail_message(with_selectors([], [selector]))
	contains(message, "eventSource NotEquals [ses.amazonaws.com] excludes ses.amazonaws.com")
}

test_data_selectors_only_record_no_management_events if {
	message := fail_message(with_selectors([], [fx.ses_selector("AWS::SES::EmailIdentity", [])]))
	contains(message, "its advanced event selectors have no Management selector, so it records no management events")
}

test_single_region_trail_elsewhere_does_not_cover if {
	message := fail_message(fx.posture([fx.trail({"multi_region": false, "region": "us-east-1"})]))
	message == "SES management events in eu-west-1 are not recorded: no trail or event data store covers eu-west-1 (trail main is single-region in us-east-1)"
}

test_single_region_trail_in_the_region_covers if {
	passes(fx.posture([fx.trail({"multi_region": false})]))
}

test_event_data_store_counts if {
	passes(fx.posture([fx.event_data_store({})]))
}

test_every_place_needs_a_covering_trail if {
	findings := check.findings with input as fx.posture([fx.trail({"multi_region": false})])
		with data.settings.cloudtrail.regions as ["eu-west-1", "us-west-2"]
	finding := fx.only_finding(findings)
	finding.resource == "aws://default/us-west-2"
}

test_unknown_multi_region_is_unknown_elsewhere if {
	trail := fx.trail({"multi_region": null, "region": "us-east-1", "unknown": {"multi_region": "variable var.multi_region has no value"}})
	message := unknown_message(fx.posture([trail]))
	contains(message, "multi_region: variable var.multi_region has no value")
	passes(fx.posture([fx.trail({"multi_region": null, "unknown": {"multi_region": "known only after apply"}})]))
}

test_unknown_basic_selector_value_is_unknown if {
	selector := fx.basic_selector({"read_write_type": null, "unknown": {"read_write_type": "variable var.rw has no value"}})
	message := unknown_message(with_selectors([selector], []))
	contains(message, "basic selector #1: read_write_type is unknown (variable var.rw has no value)")
}

test_unknown_selectors_are_unknown if {
	trail := fx.trail({"advanced_event_selectors": [], "unknown": {"advanced_event_selectors": "known only after apply"}})
	message := unknown_message(fx.posture([trail]))
	contains(message, "its event selectors are unknown (advanced_event_selectors: known only after apply)")
}

test_unknown_selector_name_still_records_management_events if {
	selector := object.union(fx.management_selector([]), {"name": null, "unknown": {"name": "expression not evaluated: ${local.name}"}})
	trail := fx.trail({"advanced_event_selectors": [selector, fx.ses_selector("AWS::SES::EmailIdentity", [])]})
	count(check.findings) == 0 with input as fx.posture([trail])
}

# --- SES global endpoint ---

endpoint(regions, unknown) := {
	"id": "aws_sesv2_multi_region_endpoint.global",
	"account": null,
	"region": "eu-west-1",
	"location": null,
	"unknown": unknown,
	"name": "global",
	"regions": regions,
}

test_global_endpoint_puts_its_secondary_region_in_scope if {
	single := fx.posture([fx.trail({"multi_region": false})])
	posture := object.union(single, {"multi_region_endpoints": [endpoint(["eu-west-1", "us-west-2"], {})]})
	{target.resource | some target in check.checked} == {"aws://default/eu-west-1", "aws://default/us-west-2"} with input as posture
	finding := fx.only_finding(check.findings) with input as posture
	finding.resource == "aws://default/us-west-2"
	finding.status == "fail"
	passes(object.union(posture, {"trails": [fx.trail({})]}))
}

test_global_endpoint_with_unknown_regions_is_a_place_of_unknown_region if {
	unknown := {"regions": "AccessDeniedException on ses:ListMultiRegionEndpoints in eu-west-1"}
	posture := object.union(fx.posture([fx.trail({"multi_region": false})]), {"multi_region_endpoints": [endpoint(null, unknown)]})
	finding := fx.only_finding(check.findings) with input as posture
	finding.resource == "aws_sesv2_multi_region_endpoint.global"
	finding.status == "unknown"
	contains(finding.message, "the unknown region of aws_sesv2_multi_region_endpoint.global (AccessDeniedException on ses:ListMultiRegionEndpoints in eu-west-1)")
	passes(object.union(posture, {"trails": [fx.trail({})]}))
}

test_event_data_store_with_aws_default_selectors_passes if {
	passes(fx.posture([fx.event_data_store({"advanced_event_selectors": []})]))
}

test_no_covering_trail_with_an_unread_module_is_unknown if {
	message := unknown_message(fx.with_unread_module(fx.posture([fx.trail({"multi_region": false, "region": "us-east-1"})])))
	startswith(message, "cannot tell")
	contains(message, "module.audit may declare a trail that records SES management events in eu-west-1")
}

test_a_covering_trail_passes_whatever_unread_modules_declare if {
	passes(fx.with_unread_module(fx.posture([fx.trail({})])))
}
