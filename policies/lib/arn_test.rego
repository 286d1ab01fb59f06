package sescheck.lib.arn_test

import data.sescheck.lib.arn

test_parse_keeps_the_colons_of_the_resource if {
	arn.parse("arn:aws:logs:eu-west-1:111122223333:log-group:ses:*") == {
		"partition": "aws", "service": "logs", "region": "eu-west-1", "account": "111122223333",
		"resource": "log-group:ses:*",
	}
}

test_parse_global_resource if {
	parts := arn.parse("arn:aws-cn:s3:::logs-bucket")
	parts.region == ""
	parts.account == ""
	parts.resource == "logs-bucket"
	not arn.part("arn:aws-cn:s3:::logs-bucket", "account")
}

test_not_an_arn if {
	not arn.parse("logs-bucket")
	not arn.parse("arn:aws:s3")
	not arn.parse(null)
}

test_build_is_the_inverse_of_parse if {
	text := "arn:aws-us-gov:ses:us-gov-west-1:111122223333:identity/example.com"
	arn.build(arn.parse(text)) == text
}

test_every_partition_of_a_region if {
	arn.partition_of_region("eu-west-1") == "aws"
	arn.partition_of_region("cn-northwest-1") == "aws-cn"
	arn.partition_of_region("us-gov-east-1") == "aws-us-gov"
	arn.partition_of_region("us-iso-east-1") == "aws-iso"
	arn.partition_of_region("us-isob-east-1") == "aws-iso-b"
	arn.partition_of_region("eu-isoe-west-1") == "aws-iso-e"
	arn.partition_of_region("us-isof-south-1") == "aws-iso-f"
	arn.partition_of_region("eusc-de-east-1") == "aws-eusc"
}
