package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_unnamed_selectors_are_numbered if {
	reads_only := {"name": null, "field_selectors": [
		{"field": "eventCategory", "equals": ["Management"]},
		{"field": "readOnly", "equals": ["true"]},
	]}
	trail := fx.trail({"name": null, "advanced_event_selectors": [fx.ses_selector("AWS::SES::EmailIdentity", []), reads_only]})
	cloudtrail.management_reasons(trail) == {"selector #2: readOnly Equals [true] excludes write events (readOnly false)"}
	cloudtrail.trail_label(trail) == "trail aws_cloudtrail.main"
}
