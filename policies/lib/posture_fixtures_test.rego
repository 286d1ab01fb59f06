# The fields each object kind must have (src/posture/posture.schema.json), keyed by the Terraform
# resource type of the object's id, so a test's fixture names only the fields it is about and
# still is a document the producers could write (scripts/check-rego-fixtures.js checks it).
package sescheck.lib.posture_fixtures_test

kind_fields := {
	"aws_cloudtrail": {
		"kind": "trail", "name": null, "arn": null, "multi_region": true, "organization": false, "logging": true,
		"log_file_validation": true, "kms_key_id": null, "kms_key": null, "basic_event_selectors": [],
		"advanced_event_selectors": [], "s3_bucket_name": null, "s3_bucket": null, "log_group_arn": null,
		"log_group": null, "declared_in_settings": false,
	},
	"aws_sesv2_configuration_set": {"name": null, "api": "v2", "tls_policy": "REQUIRE", "event_destinations": []},
	"aws_kinesis_firehose_delivery_stream": {
		"name": null, "arn": null, "destination": "extended_s3", "s3_bucket_arn": null, "s3_bucket": null,
		"compression_format": "GZIP", "error_output_prefix": null,
		"cloudwatch_logging": {"enabled": false, "log_group_name": null, "log_group": null},
	},
	"aws_s3_bucket": {"name": null, "arn": null, "lifecycle_rules": [], "public_access_block": null, "public_access_block_source": null},
	"aws_cloudwatch_log_group": {"name": null, "arn": null, "retention_in_days": null},
}

# The object with id and the fields its kind must have, overridden by `fields`.
with_kind_fields(id, fields) := object.union(object.get(kind_fields, split(id, ".")[0], {}), object.union({"id": id}, fields))
