package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail

empty_place := object.union(plan_place, {"identities": [], "configuration_sets": [], "subject": {"id": "aws://default/eu-west-1"}})

test_template_sends_are_the_templated_apis_recorded_read_only if {
	sends := cloudtrail.send_events(empty_place, "AWS::SES::Template")
	{event.fields.eventName.value | some event in sends.names} == {"SendEmail", "SendBulkEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"}
	every event in sends.names {
		event.fields.readOnly.value == "true"
	}
	[arn.text | some arn in [resource.fields["resources.ARN"] | some resource in cloudtrail.send_resources(sends)]] == ["arn:aws:ses:eu-west-1:<account>:template/<name>"]
}

test_a_resource_type_sescheck_does_not_model_is_opaque if {
	sends := cloudtrail.send_events(empty_place, "AWS::SES::Other")
	sends.names[0].fields.eventName.kind == "opaque"
	cloudtrail.send_resources(sends)[0].fields["resources.ARN"].reason == "sescheck does not know the ARNs of AWS::SES::Other"
}

test_management_events_are_write_events if {
	cloudtrail.management_event.fields.readOnly.value == "false"
	cloudtrail.management_event.fields.eventCategory.value == "Management"
}

# Selectors without resources.ARN conditions read only whether a send has a resource part: that
# answer, given without building the patterns, is whether the patterns built are any.
test_resource_given_is_whether_the_place_has_a_resource_pattern if {
	named := {"identity": "example.com", "unknown": {}}
	unnamed := {"identity": null, "unknown": {"identity": "known only after apply"}}
	set_named := {"name": "logging", "unknown": {}}
	places := [
		empty_place,
		object.union(empty_place, {"identities": [named]}),
		object.union(empty_place, {"identities": [unnamed, named]}),
		object.union(empty_place, {"configuration_sets": [set_named]}),
		object.union(empty_place, {"identities": [{"unknown": {}}]}),
	]
	every place in places {
		every type in ["AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet", "AWS::SES::Template", "AWS::SES::Other"] {
			sends := cloudtrail.send_events(place, type)
			built := count(cloudtrail.send_resources(sends)) > 0
			sends.resource_given == built
		}
	}

	# An identity without its name gives no pattern, so the place of only such identities has none.
	not cloudtrail.send_events(places[4], "AWS::SES::EmailIdentity").resource_given == true
}
