# METADATA
# title: Configuration set requires TLS
# description: |
#   A configuration set whose TLS policy is not REQUIRE lets SES deliver mail over an
#   unencrypted connection when the receiving server does not offer TLS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_DeliveryOptions.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/security-protocols.html
# custom:
#   id: CS-004
#   severity: medium
#   remediation: |
#     Set delivery_options { tls_policy = "REQUIRE" } on aws_sesv2_configuration_set
#     (v1 aws_ses_configuration_set: delivery_options { tls_policy = "Require" }).
# schemas:
#   - input: schema.posture
package sescheck.rules.ses.cs_004

import data.sescheck.lib.result
import data.sescheck.lib.ses_events

metadata := result.metadata(rego.metadata.chain())

# Every configuration set, as each CS rule judges them all: the set built once for the four.
checked := ses_events.configuration_set_targets

# concat, not sprintf: both messages are built for every configuration set, and wasm's sprintf
# calls into JavaScript.
findings contains result.from_verdict(metadata, configuration_set, verdict, {
	"fail": concat("", [
		"configuration set ", ses_events.label(configuration_set),
		" has TLS policy ", policy_label(configuration_set.tls_policy),
		"; SES may deliver its mail unencrypted",
	]),
	"unknown": concat("", ["TLS policy of configuration set ", ses_events.label(configuration_set), " is unknown: ", verdict.reason]),
}) if {
	some configuration_set in input.configuration_sets
	verdict := result.field_verdict(configuration_set, "tls_policy", configuration_set.tls_policy != "REQUIRE")
}

policy_label(null) := "not set (SES default OPTIONAL)"

policy_label(policy) := policy if policy != null
