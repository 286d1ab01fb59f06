import { DescribeDeliveryStreamCommand, FirehoseClient, type DestinationDescription } from '@aws-sdk/client-firehose';
import { parseFirehoseStreamArn } from '../posture/arn';
import { firehoseStream, missingFirehoseStream, unread, type Values } from '../posture/objects';
import type { FirehoseStream, Unknowns } from '../posture/types';
import { unlessMissing } from './faults';
import { distinct, type ScanContext } from './scan-context';

/** What DescribeDeliveryStream tells of a stream. */
const UNREAD_FIELDS = ['destination', 's3_bucket_arn', 'compression_format', 'error_output_prefix', 'prefix', 'cloudwatch_logging'];

/** A Firehose stream in the logging path, named by an SES event destination or a log delivery destination. */
export interface WantedStream {
  arn: string;
  namedBy: string;
}

/** Reads the Firehose streams SES event destinations (or WorkMail deliveries) write to, and only those. */
export async function collectFirehoseStreams(ctx: ScanContext, wanted: WantedStream[]): Promise<void> {
  for (const { arn, namedBy } of distinct(wanted, (stream) => stream.arn)) {
    const parsed = parseFirehoseStreamArn(arn);
    if (!parsed) {
      ctx.note(`Firehose stream ARN ${arn}, named by ${namedBy}, is not a delivery stream ARN`, { id: arn });
      continue;
    }
    const { region, account, name } = parsed;
    if (account && account !== ctx.account) {
      // DescribeDeliveryStream takes a name, read in the scanning account: another account's stream
      // would be confused with a same-named one here (or called missing). It is not read.
      const reason = `Firehose stream ${name} is in account ${account}, not the scanned account ${ctx.account}: it is not read`;
      ctx.note(`${reason} (named by ${namedBy})`, { id: arn, region });
      ctx.posture.firehose_streams.push(unread(firehoseStream({ id: arn, account, region }, { name, arn }), UNREAD_FIELDS, reason));
      continue;
    }
    ctx.progress(region, 'firehose', 'start');
    const client = ctx.client('firehose', region, (settings) => new FirehoseClient(settings));
    let missing = false;
    const read = await ctx.attempt(
      { action: 'firehose:DescribeDeliveryStream', region, id: arn, consequence: `the settings of Firehose stream ${name} are unknown` },
      async () => {
        const answer = await unlessMissing(() => client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })), 'ResourceNotFoundException');
        missing = answer === null;
        return answer?.DeliveryStreamDescription;
      },
    );
    ctx.progress(region, 'firehose', 'done');
    const place = { id: arn, account: account || ctx.account, region };
    if (missing) {
      // A stand-in that says so: FH-001 fails it naming the stream, SES cannot deliver to it.
      ctx.note(`Firehose stream ${name} in ${region}, named by ${namedBy}, does not exist`, { id: arn, region });
      ctx.posture.firehose_streams.push(missingFirehoseStream(place, name));
    } else if (!read.ok || !read.value) {
      const reason = read.ok ? `DescribeDeliveryStream in ${region} returned no description of ${name}` : read.reason;
      ctx.posture.firehose_streams.push(unread(firehoseStream(place, { name, arn }), UNREAD_FIELDS, reason));
    } else {
      const unknown: Unknowns = {};
      const destinations = read.value.Destinations ?? [];
      if (destinations.length === 0) unknown.destination = `DescribeDeliveryStream in ${region} listed no destination for ${name}`;
      // A destination of another kind than S3 has no S3 or logging settings to read.
      const described = destinations.length ? describeDestination(destinations[0], unknown) : {};
      ctx.posture.firehose_streams.push(firehoseStream({ ...place, unknown }, { name, arn, cloudwatch_logging: { enabled: null, log_group_name: null, log_group: null }, ...described }));
    }
  }
}

function describeDestination(description: DestinationDescription, unknown: Unknowns): Values<FirehoseStream> {
  const s3 = description.ExtendedS3DestinationDescription ?? description.S3DestinationDescription;
  if (s3) {
    const logging = s3.CloudWatchLoggingOptions;
    return {
      destination: description.ExtendedS3DestinationDescription ? 'extended_s3' : 's3',
      s3_bucket_arn: s3.BucketARN ?? null,
      // A required member of the answer; the API's default when missing.
      compression_format: s3.CompressionFormat ?? 'UNCOMPRESSED',
      error_output_prefix: s3.ErrorOutputPrefix || null,
      prefix: s3.Prefix || null,
      cloudwatch_logging: { enabled: logging?.Enabled ?? false, log_group_name: logging?.LogGroupName || null, log_group: null },
      // Parquet/ORC conversion compresses its output; a configuration without Enabled is on.
      format_conversion: description.ExtendedS3DestinationDescription?.DataFormatConversionConfiguration
        ? (description.ExtendedS3DestinationDescription.DataFormatConversionConfiguration.Enabled ?? true)
        : false,
    };
  }
  const others: [keyof DestinationDescription, string][] = [
    ['HttpEndpointDestinationDescription', 'http_endpoint'],
    ['AmazonopensearchserviceDestinationDescription', 'opensearch'],
    ['ElasticsearchDestinationDescription', 'elasticsearch'],
    ['AmazonOpenSearchServerlessDestinationDescription', 'opensearch_serverless'],
    ['RedshiftDestinationDescription', 'redshift'],
    ['SplunkDestinationDescription', 'splunk'],
    ['SnowflakeDestinationDescription', 'snowflake'],
    ['IcebergDestinationDescription', 'iceberg'],
  ];
  const other = others.find(([key]) => description[key] !== undefined);
  if (!other) unknown.destination = `Firehose destination ${description.DestinationId ?? ''} is of a kind sescheck does not know`;
  return { destination: other ? other[1] : null };
}
