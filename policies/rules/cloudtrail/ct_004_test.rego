package sescheck.rules.cloudtrail.ct_004_test

import data.sescheck.rules.cloudtrail.ct_004 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

global_endpoint := ["eu-west-1", "us-west-2"]

test_multi_region_trail_covers_every_region if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})]) with data.settings.cloudtrail.regions as global_endpoint
	count(check.checked) == 2 with input as fx.posture([fx.trail({})]) with data.settings.cloudtrail.regions as global_endpoint
}

test_multi_region_event_data_store_covers_every_region if {
	count(check.findings) == 0 with input as fx.posture([fx.event_data_store({"region": "us-east-1"})])
}

test_single_region_trail_covers_its_home_region if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({"multi_region": false})])
	count(check.checked) == 1 with input as fx.posture([fx.trail({"multi_region": false})])
}

test_single_region_trail_does_not_cover_the_other_region_of_the_global_endpoint if {
	findings := check.findings with input as fx.posture([fx.trail({"multi_region": false})])
		with data.settings.cloudtrail.regions as global_endpoint
	finding := fx.only_finding(findings)
	finding.status == "fail"
	finding.rule_id == "CT-004"
	finding.resource == "aws://default/us-west-2"
	finding.message == "no trail that records SES sends covers us-west-2: trail main is single-region in eu-west-1"
}

test_one_trail_per_region_covers_both if {
	trails := [
		fx.trail({"multi_region": false}),
		fx.trail({"id": "aws_cloudtrail.usw2", "name": "usw2", "multi_region": false, "region": "us-west-2"}),
	]
	count(check.findings) == 0 with input as fx.posture(trails) with data.settings.cloudtrail.regions as global_endpoint
}

test_a_covering_trail_that_does_not_record_sends_does_not_count if {
	trails := [
		fx.trail({"multi_region": false, "region": "us-east-1"}),
		fx.trail({"id": "aws_cloudtrail.management", "name": "management", "advanced_event_selectors": []}),
	]
	finding := fx.only_finding(check.findings) with input as fx.posture(trails)
	finding.message == "no trail that records SES sends covers eu-west-1: trail main is single-region in us-east-1"
}

test_not_judged_when_no_trail_records_sends if {
	posture := fx.posture([fx.trail({"advanced_event_selectors": []})])
	count(check.findings) == 0 with input as posture
	count(check.checked) == 0 with input as posture
}

test_unknown_multi_region_is_unknown if {
	trail := fx.trail({"multi_region": null, "region": "us-east-1", "unknown": {"multi_region": "known only after apply"}})
	finding := fx.only_finding(check.findings) with input as fx.posture([trail])
	finding.status == "unknown"
	finding.message == "cannot tell whether a trail that records SES sends covers eu-west-1: trail main: whether it covers eu-west-1 is unknown (multi_region: known only after apply)"
}

test_unknown_home_region_of_a_single_region_trail_is_unknown if {
	trail := fx.trail({"multi_region": false, "region": null, "unknown": {"region": "provider aws.logs has no region"}})
	finding := fx.only_finding(check.findings) with input as fx.posture([trail])
	finding.status == "unknown"
	contains(finding.message, "region: provider aws.logs has no region")
}

test_uncovered_region_with_an_unread_module_is_unknown if {
	findings := check.findings with input as fx.with_unread_module(fx.posture([fx.trail({"multi_region": false})]))
		with data.settings.cloudtrail.regions as global_endpoint
	finding := fx.only_finding(findings)
	finding.status == "unknown"
	finding.resource == "aws://default/us-west-2"
	contains(finding.message, "module.audit may declare a trail that records SES sends and covers us-west-2")
	contains(finding.message, "trail main is single-region in eu-west-1")
}
