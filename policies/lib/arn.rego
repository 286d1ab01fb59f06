# METADATA
# description: |
#   Amazon Resource Names (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) for every rule: parse,
#   build, and the partition of a region. The TypeScript producers use src/posture/arn.ts.
# schemas:
#   - input: schema.posture
package sescheck.lib.arn

# METADATA
# description: The parts of an ARN; undefined when the value is not one. The resource keeps its own colons.
parse(text) := {
	"partition": parts[1],
	"service": parts[2],
	"region": parts[3],
	"account": parts[4],
	"resource": concat(":", array.slice(parts, 5, count(parts))),
} if {
	is_string(text)
	parts := split(text, ":")
	count(parts) >= 6
	parts[0] == "arn"
	parts[1] != ""
	parts[2] != ""
}

build(parts) := concat(":", ["arn", parts.partition, parts.service, parts.region, parts.account, parts.resource])

# METADATA
# description: A non-empty part of an ARN (region, account...); undefined when the ARN has none.
part(text, name) := value if {
	value := parse(text)[name]
	value != ""
}

# METADATA
# description: The partition of a region name (eu-west-1 aws, cn-north-1 aws-cn, us-isob-east-1 aws-iso-b).
partition_of_region(region) := "aws-cn" if {
	startswith(region, "cn-")
} else := "aws-us-gov" if {
	startswith(region, "us-gov-")
} else := "aws-iso" if {
	startswith(region, "us-iso-")
} else := "aws-iso-b" if {
	startswith(region, "us-isob-")
} else := "aws-iso-e" if {
	startswith(region, "eu-isoe-")
} else := "aws-iso-f" if {
	startswith(region, "us-isof-")
} else := "aws-eusc" if {
	startswith(region, "eusc-")
} else := "aws"
