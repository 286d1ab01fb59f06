package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail
import data.sescheck.rules.cloudtrail.fixtures_test as fx

# Each place's verdicts, as the rules read them.
verdicts := {place.subject.id: {
	"sends": cloudtrail.data_verdict(place, cloudtrail.email_identity_type),
	"management": cloudtrail.management_verdict(place),
} |
	some place in cloudtrail.places
}

test_a_trail_that_records_everything_passes_its_place if {
	found := verdicts with input as fx.posture([fx.trail({})])
	found == {"aws://default/eu-west-1": {
		"sends": {"status": "pass", "reasons": []},
		"management": {"status": "pass", "reasons": []},
	}}
	count(cloudtrail.counted_trails) == 1 with input as fx.posture([fx.trail({})])
}

test_a_trail_with_management_selectors_only_fails_the_sends if {
	found := verdicts with input as fx.posture([fx.trail({"advanced_event_selectors": [fx.management_selector([])]})])
	found["aws://default/eu-west-1"].sends == {"status": "fail", "reasons": ["trail main: no advanced event selector selects eventCategory Data and resources.type AWS::SES::EmailIdentity"]}
	found["aws://default/eu-west-1"].management.status == "pass"
}
