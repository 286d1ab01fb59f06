package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_trail_of_another_account_does_not_cover if {
	trail := fx.trail({"account": "444455556666"})
	cloudtrail.covers(trail, live_place) == "no"
	cloudtrail.coverage_text(trail, live_place) == "trail main belongs to account 444455556666"

	# A plan's unnamed account may be that one, or not.
	cloudtrail.covers(trail, plan_place) == "unknown"
}

test_place_with_unknown_region if {
	place := {"account": null, "region": null, "region_unknown": "provider aws.ses has no region", "subject": {"id": "aws_sesv2_email_identity.x"}}
	cloudtrail.covers(fx.trail({}), place) == "yes"
	cloudtrail.covers(fx.trail({"multi_region": false}), place) == "unknown"
	cloudtrail.place_label(place) == "the unknown region of aws_sesv2_email_identity.x (provider aws.ses has no region)"
}
