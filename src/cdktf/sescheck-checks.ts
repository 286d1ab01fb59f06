/**
 * sescheck inside `cdktf synth`: an Aspect that evaluates the same wasm rules on each synthesized
 * stack and turns the findings into construct annotations. A failing finding at or above the
 * threshold is an error annotation, which makes cdktf abort the synth; unknown findings are
 * warnings (errors with failOnUnknown), waived ones informational.
 */
import { Annotations, Aspects, TerraformResource, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { PolicyEngine } from '../engine/evaluate';
import { loadSettings, settingsPath, type Settings } from '../engine/settings';
import { synthesizedStackPosture } from '../inputs/synthesized-stack';
import { UnknownRuleError } from '../results/catalog';
import { scanPostures } from '../results/scan';
import type { FailOn, ReportFinding, ScanResult } from '../results/scan-result';
import { failsRun } from '../results/threshold';
import { TOOL_VERSION } from '../cli/version';

export interface SescheckChecksProps {
  /**
   * The settings file (retention bounds, required event types, waivers...), as `sescheck --config`.
   * @default ./.sescheck.yaml in the working directory when present, else the built-in defaults
   */
  readonly settingsFile?: string;
  /**
   * The lowest severity of a failing finding that fails the synth; `none` only annotates.
   * @default 'low'
   */
  readonly failOn?: FailOn;
  /**
   * Unknown findings at or above failOn fail the synth too.
   * @default false
   */
  readonly failOnUnknown?: boolean;
  /**
   * A policy wasm with your own rules (see the README's "Writing a custom rule").
   * @default the bundled policy
   */
  readonly bundle?: string;
  /**
   * Only these rule ids.
   * @default every rule
   */
  readonly rules?: readonly string[];
}

/** What one stack's check found, for callers that want more than the annotations. */
export interface StackCheck {
  stack: string;
  findings: ReportFinding[];
}

/**
 * `Aspects.of(stack).add(new SescheckChecks())`, or `SescheckChecks.checkEveryStack(app)` once the
 * app's stacks exist: each stack is checked once, after all other aspects changed it (the check
 * runs as the stack's validation). cdktf applies aspects from each stack down, so an aspect added
 * to the App itself is never invoked: use checkEveryStack for a whole app.
 */
export class SescheckChecks implements IAspect {
  /** Adds one SescheckChecks to every stack under `scope` (an App, usually) and returns it. */
  static checkEveryStack(scope: IConstruct, props: SescheckChecksProps = {}): SescheckChecks {
    const checks = new SescheckChecks(props);
    const stacks = scope.node.findAll().filter((node): node is TerraformStack => TerraformStack.isStack(node));
    for (const stack of stacks) Aspects.of(stack).add(checks);
    return checks;
  }

  /** Every stack checked so far, in synth order. */
  readonly results: StackCheck[] = [];
  private readonly props: SescheckChecksProps;
  private readonly checked = new WeakSet<TerraformStack>();
  private engine?: PolicyEngine;
  private settings?: Settings;

  constructor(props: SescheckChecksProps = {}) {
    this.props = props;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.checked.has(node)) return;
    this.checked.add(node);
    const stack = node;
    // Validations run after every aspect: the stack is checked as it will be written.
    stack.node.addValidation({ validate: () => this.check(stack) });
  }

  private check(stack: TerraformStack): string[] {
    const settings = (this.settings ??= loadSettings(settingsPath(this.props.settingsFile)));
    const engine = (this.engine ??= PolicyEngine.loadSync(this.props.bundle));
    const name = stack.node.id;
    const posture = synthesizedStackPosture(stack.toTerraform() as Record<string, unknown>, name);
    let result: ScanResult;
    try {
      result = scanPostures(engine, settings, [posture], {
        settingsOrigin: this.props.settingsFile ?? 'settings',
        selection: { only: this.props.rules ?? [], skip: [] },
        input: { kind: 'config', path: posture.source.path },
        toolVersion: TOOL_VERSION,
        now: new Date(),
      });
    } catch (error) {
      if (error instanceof UnknownRuleError) return [`sescheck: no rule ${error.ruleId} in the catalog`];
      throw error;
    }
    this.results.push({ stack: name, findings: result.report.findings });

    const constructs = resourcesByAddress(stack);
    for (const finding of result.report.findings) {
      const target = constructs.get(finding.resource) ?? stack;
      const text = `[${finding.rule_id}] ${finding.message}${finding.status === 'waived' ? ` (waived: ${finding.waiver?.reason})` : ''}`;
      const level = this.levelOf(finding);
      if (level === 'error') Annotations.of(target).addError(`${text}. Fix: ${finding.remediation}`);
      else if (level === 'warning') Annotations.of(target).addWarning(text);
      else Annotations.of(target).addInfo(text);
    }
    return [];
  }

  /** A finding that would fail `sescheck` with the same threshold fails the synth. */
  private levelOf(finding: ReportFinding): 'error' | 'warning' | 'info' {
    if (finding.status === 'waived') return 'info';
    return failsRun(finding, this.props.failOn ?? 'low', this.props.failOnUnknown ?? false) ? 'error' : 'warning';
  }
}

/** The stack's resources by Terraform address (`aws_s3_bucket.logs`), to annotate the construct a finding is about. */
function resourcesByAddress(stack: TerraformStack): Map<string, IConstruct> {
  const byAddress = new Map<string, IConstruct>();
  for (const node of stack.node.findAll()) {
    if (node instanceof TerraformResource) byAddress.set(`${node.terraformResourceType}.${node.friendlyUniqueId}`, node);
  }
  return byAddress;
}
