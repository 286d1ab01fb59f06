# METADATA
# title: SES logging checks on a Terraform plan, for the benchmark only
# description: |
#   What `npm run bench -- compare` runs with `opa eval` and conftest beside sescheck: the joins
#   sescheck's rules make (identity -> configuration set -> event destination -> Firehose stream
#   -> bucket -> lifecycle and public access block, stream -> error log group, identity ->
#   bounce/complaint topics, trails -> selectors, bucket and log group), written directly over
#   `terraform show -json` as a Rego author would: indexes are complete rules (evaluated once),
#   references unknown until apply are resolved through `configuration` in the module instance.
package main

import rego.v1

required_event_types := {"SEND", "DELIVERY", "REJECT", "BOUNCE", "COMPLAINT", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"}

ses_data_types := {"AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet", "AWS::SES::Template"}

min_retention_days := 365

max_retention_days := 3650

# Resources planned to exist, by address.
resources := {rc.address: rc |
	some rc in input.resource_changes
	rc.mode == "managed"
	not "delete" in rc.change.actions
}

# Grouped once, with OPA's comprehension indexing (the inner comprehension compares an outer
# variable): a complete rule, so every reference reads the same value.
of_type := {type: group |
	some rc in resources
	type := rc.type
	group := [r | some r in resources; r.type == type]
}

# Configuration of a module call's resources, by call path and config address ("tenant", "aws_s3_bucket.events").
config := object.union(
	{[call, r.address]: r |
		some call, c in input.configuration.root_module.module_calls
		some r in c.module.resources
	},
	{["", r.address]: r | some r in input.configuration.root_module.resources},
)

# "module.tenant[\"x\"]" -> "tenant" (one module level, as in the benchmark's account).
call_of(rc) := "" if not rc.module_address
call_of(rc) := regex.find_all_string_submatch_n(`^module\.([^.\[]+)`, rc.module_address, 1)[0][1] if rc.module_address

# The address of the resource an expression of `rc` refers to, in the same module instance.
referenced(rc, expression) := address if {
	some ref in expression.references
	parts := split(ref, ".")
	startswith(parts[0], "aws_")
	local := concat(".", [parts[0], parts[1]])
	address := concat(".", [rc.module_address, local])
}

referenced(rc, expression) := address if {
	not rc.module_address
	some ref in expression.references
	parts := split(ref, ".")
	startswith(parts[0], "aws_")
	address := concat(".", [parts[0], parts[1]])
}

expressions(rc) := config[[call_of(rc), concat(".", [rc.type, rc.name])]].expressions

after(rc) := rc.change.after

# Buckets' lifecycle configurations and public access blocks, by bucket address.
lifecycle_of := {referenced(rc, expressions(rc).bucket): rc | some rc in of_type.aws_s3_bucket_lifecycle_configuration}

public_access_of := {referenced(rc, expressions(rc).bucket): rc | some rc in of_type.aws_s3_bucket_public_access_block}

log_group_named := {after(rc).name: rc | some rc in of_type.aws_cloudwatch_log_group}

configuration_set_named := {after(rc).configuration_set_name: rc | some rc in of_type.aws_sesv2_configuration_set}

destinations_of := {name: group |
	some d in of_type.aws_sesv2_configuration_set_event_destination
	name := d.change.after.configuration_set_name
	group := [x | some x in of_type.aws_sesv2_configuration_set_event_destination; x.change.after.configuration_set_name == name]
}

topics := {[after(rc).identity, after(rc).notification_type] | some rc in of_type.aws_ses_identity_notification_topic}

deny contains msg if {
	some cs in of_type.aws_sesv2_configuration_set
	not after(cs).delivery_options[0].tls_policy == "REQUIRE"
	msg := sprintf("%s: does not require TLS", [cs.address])
}

deny contains msg if {
	some cs in of_type.aws_sesv2_configuration_set
	not enabled_destination(after(cs).configuration_set_name)
	msg := sprintf("%s: no enabled event destination", [cs.address])
}

enabled_destination(name) if {
	some d in destinations_of[name]
	after(d).event_destination[0].enabled == true
}

deny contains msg if {
	some cs in of_type.aws_sesv2_configuration_set
	published := {t | some d in destinations_of[after(cs).configuration_set_name]; some t in after(d).event_destination[0].matching_event_types}
	missing := required_event_types - published
	count(missing) > 0
	msg := sprintf("%s: does not publish %v", [cs.address, missing])
}

# Configuration set -> Firehose stream -> bucket with a lifecycle within bounds, errors logged.
deny contains msg if {
	some cs in of_type.aws_sesv2_configuration_set
	not stored(after(cs).configuration_set_name)
	msg := sprintf("%s: events are not stored durably", [cs.address])
}

stored(name) if {
	some d in destinations_of[name]
	stream := resources[referenced(d, expressions(d).event_destination[0].kinesis_firehose_destination[0].delivery_stream_arn)]
	bucket_kept(referenced(stream, expressions(stream).extended_s3_configuration[0].bucket_arn))
}

bucket_kept(address) if {
	resources[address]
	days := after(lifecycle_of[address]).rule[0].expiration[0].days
	days >= min_retention_days
	days <= max_retention_days
}

deny contains msg if {
	some stream in of_type.aws_kinesis_firehose_delivery_stream
	s3 := after(stream).extended_s3_configuration[0]
	not delivers_well(s3)
	msg := sprintf("%s: not compressed, or errors not logged to a log group kept within bounds", [stream.address])
}

delivers_well(s3) if {
	s3.compression_format != "UNCOMPRESSED"
	s3.cloudwatch_logging_options[0].enabled == true
	group := log_group_named[s3.cloudwatch_logging_options[0].log_group_name]
	kept(after(group).retention_in_days)
}

kept(days) if {
	days >= min_retention_days
	days <= max_retention_days
}

deny contains msg if {
	some stream in of_type.aws_kinesis_firehose_delivery_stream
	bucket := referenced(stream, expressions(stream).extended_s3_configuration[0].bucket_arn)
	not blocks_public(bucket)
	msg := sprintf("%s: bucket %s does not block public access", [stream.address, bucket])
}

blocks_public(bucket) if {
	block := after(public_access_of[bucket])
	block.block_public_acls == true
	block.block_public_policy == true
	block.ignore_public_acls == true
	block.restrict_public_buckets == true
}

# Identities: a default configuration set that exists, and bounce and complaint topics.
deny contains msg if {
	some identity in of_type.aws_sesv2_email_identity
	not configuration_set_named[after(identity).configuration_set_name]
	msg := sprintf("%s: no default configuration set", [identity.address])
}

deny contains msg if {
	some identity in of_type.aws_sesv2_email_identity
	some kind in ["Bounce", "Complaint"]
	not topics[[after(identity).email_identity, kind]]
	msg := sprintf("%s: %s feedback is not captured", [identity.address, kind])
}

# CloudTrail: a multi-region, logging, validated, encrypted trail records management events and
# every SES data event type, into a bucket kept within bounds that blocks public access.
good_trails contains trail.address if {
	some trail in of_type.aws_cloudtrail
	t := after(trail)
	t.is_multi_region_trail == true
	t.enable_logging == true
	t.enable_log_file_validation == true
	trail.change.after_unknown.kms_key_id == true
	records_management(t)
	recorded := {type |
		some selector in t.advanced_event_selector
		some field in selector.field_selector
		field.field == "resources.type"
		some type in field.equals
	}
	count(ses_data_types - recorded) == 0
	bucket := referenced(trail, expressions(trail).s3_bucket_name)
	bucket_kept(bucket)
	blocks_public(bucket)
	group := resources[referenced(trail, expressions(trail).cloud_watch_logs_group_arn)]
	kept(after(group).retention_in_days)
}

records_management(t) if {
	some selector in t.advanced_event_selector
	some field in selector.field_selector
	field.field == "eventCategory"
	"Management" in field.equals
}

deny contains "no trail records SES management and data events in every region" if count(good_trails) == 0
