package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail

# Places as the two kinds of input give them: live names the account, a plan does not.
live_place := {"account": "111122223333", "region": "us-gov-west-1", "region_unknown": null}

plan_place := {"account": null, "region": "eu-west-1", "region_unknown": null}

test_settings_defaults_without_settings if {
	cloudtrail.required_resource_types == ["AWS::SES::ConfigurationSet", "AWS::SES::Template"] with data.settings as {}
	cloudtrail.settings_regions == [] with data.settings as {}
}
