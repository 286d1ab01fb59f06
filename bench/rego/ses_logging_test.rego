package main_test

import rego.v1

import data.main

change(address, type, after) := {"address": address, "mode": "managed", "type": type, "name": split(address, ".")[1], "change": {"actions": ["create"], "after": after, "after_unknown": {}}}

# A configuration set that lets TLS be optional and publishes nowhere, an identity without topics, no trail.
bare := {
	"resource_changes": [
		change("aws_sesv2_configuration_set.a", "aws_sesv2_configuration_set", {"configuration_set_name": "a", "delivery_options": [{"tls_policy": "OPTIONAL"}]}),
		change("aws_sesv2_email_identity.x", "aws_sesv2_email_identity", {"email_identity": "x.example.com", "configuration_set_name": "missing"}),
	],
	"configuration": {"root_module": {"resources": []}},
}

test_bare_account_fails_every_join if {
	denied := main.deny with input as bare
	"aws_sesv2_configuration_set.a: does not require TLS" in denied
	"aws_sesv2_configuration_set.a: no enabled event destination" in denied
	"aws_sesv2_configuration_set.a: events are not stored durably" in denied
	"aws_sesv2_email_identity.x: no default configuration set" in denied
	"aws_sesv2_email_identity.x: Bounce feedback is not captured" in denied
	"no trail records SES management and data events in every region" in denied
}
