/**
 * Test-only aspects that break a reference stack the way real accounts are broken, so the dogfood
 * test can show that sescheck reports exactly the expected rule for each.
 */
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { Sesv2EmailIdentity } from '@cdktf/provider-aws/lib/sesv2-email-identity';

/** Removes the trail's management-event selector: SES management events go unrecorded (CT-003). */
export class DropManagementSelector implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof Cloudtrail)) return;
    const selectors = node.advancedEventSelectorInput as CloudtrailAdvancedEventSelector[];
    node.putAdvancedEventSelector(selectors.filter((selector) => !isManagementSelector(selector)));
  }
}

function isManagementSelector(selector: CloudtrailAdvancedEventSelector): boolean {
  const fields = selector.fieldSelector as { field: string; equalTo?: string[] }[];
  return fields.some((field) => field.field === 'eventCategory' && (field.equalTo ?? []).includes('Management'));
}

/** Removes retention from every log group: logs kept forever (RT-002). */
export class RemoveLogGroupRetention implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CloudwatchLogGroup) node.resetRetentionInDays();
  }
}

/** Removes the expiration from every lifecycle rule: log objects kept forever (RT-001). */
export class RemoveLifecycleExpiration implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof S3BucketLifecycleConfiguration)) return;
    const rules = node.ruleInput as S3BucketLifecycleConfigurationRule[];
    node.putRule(rules.map((rule) => ({ ...rule, expiration: undefined })));
  }
}

/** Leaves every identity without its default configuration set: mail sent without naming a set is unlogged (ID-001). */
export class DetachDefaultConfigurationSet implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof Sesv2EmailIdentity) node.resetConfigurationSetName();
  }
}
