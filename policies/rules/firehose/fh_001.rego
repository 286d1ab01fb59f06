# METADATA
# title: SES event stream delivers compressed to S3 with error logging
# description: |
#   Every Kinesis Data Firehose stream an SES event destination uses must exist, deliver to S3
#   with compression (or with record format conversion to Parquet/ORC, which compresses the
#   output itself and requires S3 compression off), set an error output prefix (so failed
#   records land apart from the logs), and log delivery errors to CloudWatch Logs, so lost SES
#   events are seen.
# related_resources:
#   - ref: https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html
#   - ref: https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
#   - ref: https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-logs.html
#   - ref: https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
# custom:
#   id: FH-001
#   severity: medium
#   remediation: |
#     aws_kinesis_firehose_delivery_stream { destination = "extended_s3", extended_s3_configuration {
#     bucket_arn = aws_s3_bucket.logs.arn, compression_format = "GZIP",
#     error_output_prefix = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
#     cloudwatch_logging_options { enabled = true, log_group_name = aws_cloudwatch_log_group.firehose.name,
#     log_stream_name = "DestinationDelivery" } } }.
# schemas:
#   - input: schema.posture
package sescheck.rules.firehose.fh_001

import data.sescheck.lib.logging_path
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

# Each use of a stream by an SES event destination. Arrays, not sets: wasm hashes a whole set
# element (here a configuration set, a stream) on every insert and scan; a complete rule is also
# evaluated once, where a partial one is evaluated again at every reference.
uses := [{"configuration_set": configuration_set, "destination": destination} |
	some configuration_set in input.configuration_sets
	some destination in configuration_set.event_destinations
	logging_path.uses_firehose(destination)
]

# Each stream once, by the set of the ids the uses name.
streams := [stream |
	some id in {use.destination.firehose_stream | some use in uses}
	some stream in logging_path.with_id("firehose_stream", id)
]

checked contains result.target(stream) if {
	some stream in streams
}

checked contains result.target(use_subject(use)) if {
	some use in uses
	unreached(use)
}

findings contains result.from_verdict(metadata, stream, verdict, {
	"fail": sprintf("Firehose stream %s (used by %s) %s", [logging_path.label(stream), users(stream), verdict.words]),
	"unknown": sprintf("cannot tell whether Firehose stream %s (used by %s) delivers compressed to S3 with error logging: %s", [
		logging_path.label(stream),
		users(stream),
		verdict.words,
	]),
}) if {
	some stream in streams
	verdict := stream_verdict(stream)

	# The messages name every user of the stream: built only for a stream with a finding.
	verdict.status != "pass"
}

findings contains result.unknown(metadata, use_subject(use), message) if {
	some use in uses
	message := sprintf("%s uses a Firehose stream that %s; its delivery settings cannot be judged", [use_words(use), unreached(use)])
}

# A stream that does not exist fails; one that lacks something fails (naming what is also unknown);
# else what is unknown makes it unknown.
stream_verdict(stream) := {"status": "fail", "words": "does not exist; SES cannot deliver events to it"} if {
	object.get(stream, "exists", true) == false
} else := {"status": "fail", "words": concat("", [concat("; ", sort(problems(stream))), also_unknown(stream)])} if {
	count(problems(stream)) > 0
} else := {"status": "unknown", "words": concat("; ", sort(uncertainties(stream)))} if {
	count(uncertainties(stream)) > 0
} else := {"status": "pass", "words": ""}

unreached(use) := logging_path.unreached("firehose_stream", use.destination, ["firehose_stream_arn", "firehose_stream"])

# concat, not sprintf: wasm's sprintf calls into JavaScript.
use_words(use) := concat("", [
	"event destination ", logging_path.label(use.destination),
	" of configuration set ", logging_path.label(use.configuration_set),
])

use_subject(use) := object.union(use.configuration_set, {"location": logging_path.located(use.destination.location, use.configuration_set.location)})

users(stream) := object.get(users_by_stream, stream.id, "")

# Each stream's users, grouped by stream id once: a complete rule over the partial one, since wasm
# re-evaluates a partial rule at every reference, and a scan of every use per stream is quadratic.
# (Each use as its position and words: a set of uses would hash each whole configuration set.)
users_by_stream := {id: concat(", ", sort([words | some [_, words] in stream_uses])) |
	some id, stream_uses in each_use_by_stream
}

each_use_by_stream[id] contains [i, use_words(use)] if {
	some i, use in uses
	id := use.destination.firehose_stream
}

# The reason worked out once (wasm does not memoize functions).
unknown_field(stream, fields) := reason if {
	reason := logging_path.reason(stream, fields)
	reason != null
}

s3_destinations := {"extended_s3", "s3"}

# What the stream lacks, each named as the message says it.
problems(stream) := {problem |
	some check in ["bucket", "destination", "compression", "error_output_prefix", "error_logging"]
	problem := problem_of(stream, check)
}

problem_of(stream, "bucket") := sprintf("delivers to S3 bucket %s, which does not exist", [logging_path.label(bucket)]) if {
	some bucket in logging_path.with_id("s3_bucket", stream.s3_bucket)
	object.get(bucket, "exists", true) == false
}

problem_of(stream, "destination") := sprintf("delivers to %s, not S3", [destination_words(stream.destination)]) if {
	not unknown_field(stream, ["destination"])
	not stream.destination in s3_destinations
}

problem_of(stream, "compression") := sprintf("does not compress (compression_format %s)", [compression_words(stream.compression_format)]) if {
	not unknown_field(stream, ["compression_format"])
	not unknown_field(stream, ["format_conversion"])
	not compressed(stream)
}

problem_of(stream, "error_output_prefix") := "has no error output prefix" if {
	not unknown_field(stream, ["error_output_prefix"])
	stream.error_output_prefix in {null, ""}
}

problem_of(stream, "error_logging") := "does not log delivery errors to CloudWatch Logs (cloudwatch_logging_options disabled)" if {
	not logging_unknown(stream)
	stream.cloudwatch_logging.enabled != true
}

# Parquet and ORC output is compressed by the serializer (Snappy by default). (else, not a second
# body: wasm evaluates every body of a function at each call.)
compressed(stream) if {
	is_string(stream.compression_format)
	not upper(stream.compression_format) in {"", "UNCOMPRESSED"}
} else if object.get(stream, "format_conversion", null) == true

destination_words(null) := "no destination"

destination_words(destination) := destination if destination != null

compression_words(null) := "not set, UNCOMPRESSED"

compression_words(format) := format if format != null

logging_unknown(stream) := reason if {
	stream.cloudwatch_logging.enabled == null
	reason := unknown_field(stream, ["cloudwatch_logging.enabled"])
}

uncertainties(stream) := ({sprintf("%s is unknown (%s)", [field, reason]) |
	some field in ["destination", "compression_format", "error_output_prefix"]
	stream[field] == null
	reason := unknown_field(stream, [field])
} | {sprintf("whether record format conversion is enabled is unknown (%s)", [reason]) |
	not compressed(stream)
	reason := unknown_field(stream, ["format_conversion"])
}) | {sprintf("cloudwatch_logging.enabled is unknown (%s)", [reason]) |
	reason := logging_unknown(stream)
}

also_unknown(stream) := "" if count(uncertainties(stream)) == 0

also_unknown(stream) := sprintf("; also unknown: %s", [concat("; ", sort(uncertainties(stream)))]) if {
	count(uncertainties(stream)) > 0
}
