# METADATA
# title: Sending identity has a default configuration set
# description: |
#   Event publishing covers only mail sent through a configuration set. An identity without a
#   default configuration set sends unlogged mail whenever the caller does not name a set.
#   The default is set by configuration_set_name on aws_sesv2_email_identity, or by an
#   aws_sesv2_email_identity_configuration_set_attributes (AWS provider 6.x), which also serves
#   identities declared with the v1 resources (aws_ses_domain_identity, aws_ses_email_identity):
#   SES v1 and v2 share identities. Live, an identity that cannot send (verification failed or
#   pending, sending disabled) is not judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/managing-configuration-sets.html#default-config-sets
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutEmailIdentityConfigurationSetAttributes.html
# custom:
#   id: ID-001
#   severity: high
#   remediation: |
#     Set the identity's default configuration set: configuration_set_name =
#     aws_sesv2_configuration_set.main.configuration_set_name on aws_sesv2_email_identity, or
#     (AWS provider 6.x, and for an identity declared with v1 aws_ses_domain_identity or
#     aws_ses_email_identity) aws_sesv2_email_identity_configuration_set_attributes {
#     email_identity = ..., configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name }.
# schemas:
#   - input: schema.posture
package sescheck.rules.identity.id_001

import data.sescheck.lib.result
import data.sescheck.lib.ses_events
import data.sescheck.lib.unread_modules

metadata := result.metadata(rego.metadata.chain())

# Every judged identity, as each ID rule judges them all: the set built once for both.
checked := ses_events.judged_identity_targets

findings contains result.fail(metadata, identity, message) if {
	some identity in without_default
	identity.api == "v1"
	not v2_twin(identity)
	not default_unknown(identity)
	count(module_doubts) == 0
	message := sprintf("identity %s (declared with the SES v1 resource, which has no default configuration set argument) has no default configuration set; mail sent without naming a set is not logged; set one with aws_sesv2_email_identity_configuration_set_attributes (AWS provider 6.x) or declare the identity with aws_sesv2_email_identity and configuration_set_name", [ses_events.label(identity)])
}

findings contains result.fail(metadata, identity, message) if {
	some identity in without_default
	identity.api == "v2"
	not default_unknown(identity)
	count(module_doubts) == 0
	message := sprintf("identity %s has no default configuration set; mail sent without naming a set is not logged", [ses_events.label(identity)])
}

findings contains result.unknown(metadata, identity, message) if {
	some identity in without_default
	not v2_twin(identity)
	reason := default_unknown(identity)
	message := sprintf("default configuration set of identity %s is unknown: %s", [ses_events.label(identity), reason])
}

# A module sescheck cannot read may set the default (aws_sesv2_email_identity_configuration_set_attributes).
findings contains result.unknown(metadata, identity, message) if {
	some identity in without_default
	not v2_twin(identity)
	not default_unknown(identity)
	count(module_doubts) > 0
	message := sprintf("identity %s has no default configuration set in what sescheck read, but %s", [ses_events.label(identity), concat("; ", sort(module_doubts))])
}

module_doubts := unread_modules.doubts("its default configuration set (aws_sesv2_email_identity_configuration_set_attributes)")

# The judged identities without a default configuration set, found once for the four findings
# rules (an array: a set would hash each whole identity).
without_default := [identity |
	some identity in ses_events.judged_identities
	not has_default(identity)
]

# (else, not a second body: wasm evaluates every body of a function at each call.)
has_default(identity) if identity.default_configuration_set != null

else if {
	is_string(identity.default_configuration_set_name)
	identity.default_configuration_set_name != ""
}

default_unknown(identity) := ses_events.unknown_reason(identity, "default_configuration_set_name")

# A v1 identity also declared as a v2 email identity (same address or domain, account and
# region) is judged through the v2 one, which can set the default.
v2_twin(identity) if {
	identity.api == "v1"
	is_string(identity.identity)
	key := [identity.identity, identity.account, identity.region]
	v2_keys[key] == key
}

# The v2 identities by name, account and region, built once (a scan per v1 identity is quadratic in wasm).
v2_keys := {[other.identity, other.account, other.region] |
	some other in input.identities
	other.api == "v2"
	is_string(other.identity)
}
