/**
 * The AWS SDK prints a multi-line NodeVersionSupportWarning on stderr on Node below 22, once per
 * process, unless this variable (read by @aws-sdk/core's emitWarningIfUnsupportedVersion) is
 * "true". sescheck's stderr carries only its own one-line messages, so a live scan sets it, unless
 * the user set it either way.
 */
export function quietSdkVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
