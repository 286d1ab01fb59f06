# METADATA
# title: Sending identity has a default configuration set
# description: |
#   Event publishing covers only mail sent through a configuration set. An identity without a
#   default configuration set sends unlogged mail whenever the caller does not name a set.
#   The SES v1 identity resources (aws_ses_domain_identity, aws_ses_email_identity) cannot set
#   a default configuration set.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/managing-configuration-sets.html#default-config-sets
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutEmailIdentityConfigurationSetAttributes.html
# custom:
#   id: ID-001
#   severity: high
#   remediation: |
#     Declare the identity with aws_sesv2_email_identity and set its default configuration set:
#     configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name.
#     A v1 aws_ses_domain_identity or aws_ses_email_identity cannot set one: replace it with
#     aws_sesv2_email_identity (terraform import the existing identity into the new resource).
package sescheck.rules.identity.id_001

import data.sescheck.lib.result
import data.sescheck.lib.ses_events

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(identity) if {
	some identity in input.identities
}

findings contains result.fail(metadata, identity, message) if {
	some identity in input.identities
	identity.api == "v1"
	not v2_twin(identity)
	message := sprintf("identity %s is declared with the SES v1 API, which cannot set a default configuration set; mail sent without naming a set is not logged; use aws_sesv2_email_identity with configuration_set_name", [ses_events.label(identity)])
}

findings contains result.fail(metadata, identity, message) if {
	some identity in input.identities
	identity.api == "v2"
	not has_default(identity)
	not default_unknown(identity)
	message := sprintf("identity %s has no default configuration set; mail sent without naming a set is not logged", [ses_events.label(identity)])
}

findings contains result.unknown(metadata, identity, message) if {
	some identity in input.identities
	identity.api == "v2"
	not has_default(identity)
	reason := default_unknown(identity)
	message := sprintf("default configuration set of identity %s is unknown: %s", [ses_events.label(identity), reason])
}

has_default(identity) if identity.default_configuration_set != null

has_default(identity) if {
	is_string(identity.default_configuration_set_name)
	identity.default_configuration_set_name != ""
}

default_unknown(identity) := ses_events.unknown_reason(identity, "default_configuration_set_name")

# A v1 identity also declared as a v2 email identity (same address or domain, account and
# region) is judged through the v2 one, which can set the default.
v2_twin(identity) if {
	is_string(identity.identity)
	some other in input.identities
	other.api == "v2"
	other.identity == identity.identity
	other.account == identity.account
	other.region == identity.region
}
