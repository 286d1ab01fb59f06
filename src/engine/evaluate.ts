import { loadPolicySync, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { Posture } from '../posture/types';
import { SetupError } from '../errors';
import { DEFAULT_WASM, readPolicyBundle } from './bundle';
import { withExternalTrails } from './external-trails';
import type { CheckedTarget, Evaluation, Finding, RuleInfo } from './findings';
import type { Settings } from './settings';
import { isJsonObject } from '../json-object';

/** 64 KiB wasm pages: 512 MiB. */
const INITIAL_MEMORY_PAGES = 8192;
/**
 * 32 MiB, for the catalog and a small input (a plan of a few dozen resources evaluates in about
 * 1 MiB): V8 counts a wasm memory as external memory and collects garbage when one of 64 MiB or
 * more is made, which cost a small run about 20 ms of its start.
 */
const SMALL_MEMORY_PAGES = 512;
/** The most a wasm32 memory holds, less a page: about 4 GiB. */
const MAX_MEMORY_PAGES = 65_535;
const PAGE_BYTES = 65_536;
/**
 * Heap bytes an evaluation allocates per byte of input, with a third more to spare (measured, the
 * input's own copy included: 53 per byte for the bench's stress shape of fixture copies, 130 MB
 * for 2.5 MB; 41 for 30k identities, 570 MB for 13.7 MB; 33 to 37 for the bench plans'
 * postures). OPA's wasm allocator slows down sharply once the heap passes the memory the
 * instance started with (30k identities: 35 s instead of 4 s), so an instance is started with
 * memory for the input it evaluates.
 */
const HEAP_BYTES_PER_INPUT_BYTE = 72;

/**
 * An input this small needs half of SMALL_MEMORY_PAGES at most: about 233 KB of posture (a plan of
 * about 1,500 resources; the 1k bench plan's posture, 158 KB, evaluates in about 12 MiB). It is
 * evaluated in the instance made at load: a second instance's 512 MiB memory sets off two full
 * garbage collections mid-run (about 20 ms at 1k).
 */
const SMALL_INPUT_BYTES = (SMALL_MEMORY_PAGES * PAGE_BYTES) / HEAP_BYTES_PER_INPUT_BYTE / 2;

/** The memory, in pages, to start an instance with for an input of this many bytes. */
export function memoryPagesFor(inputBytes: number): number {
  if (inputBytes <= SMALL_INPUT_BYTES) return SMALL_MEMORY_PAGES;
  return Math.min(MAX_MEMORY_PAGES, Math.max(INITIAL_MEMORY_PAGES, Math.ceil((inputBytes * HEAP_BYTES_PER_INPUT_BYTE) / PAGE_BYTES)));
}

/** A bucket, log group or Firehose stream of the logging path that the posture does not hold yet. */
export interface StorageToRead {
  kind: 's3_bucket' | 'log_group' | 'firehose_stream';
  /** The bucket, log group or stream name. */
  name: string;
  /** From the ARN, else the region of the object that names it. */
  region: string | null;
  /** The ARN or name as the posture gives it. */
  raw: string;
  /** The object that names it, in words (trail NAME, delivery destination NAME...). */
  named_by: string;
}

/** A target as a rule's `checked` gives it (lib/result.rego's target). */
type RuleTarget = Omit<CheckedTarget, 'rule_id'>;

/** What sescheck/main/report returns: each rule's checked targets under its id (policies/main.rego). */
interface Report {
  findings: Finding[];
  checked: { rule_id: string; targets: RuleTarget[] }[] | CheckedTarget[];
}

/**
 * Every checked target with the id of the rule that checked it. A rule's `checked` is read as
 * main.rego read it before it grouped them (`some target in checked`, then `object.union` with the
 * id): a set's or an array's items, or an object's values (a partial object rule), and only those
 * that are objects (object.union left any other value undefined). A bundle built from older
 * policies (--bundle) lists the targets with their ids already.
 */
export function checkedTargets(checked: Report['checked']): CheckedTarget[] {
  const targets: CheckedTarget[] = [];
  for (const item of checked as unknown[]) {
    if (!isJsonObject(item)) continue;
    if (!('targets' in item)) {
      targets.push(item as unknown as CheckedTarget);
      continue;
    }
    const rule_id = item.rule_id as string;
    const listed = Array.isArray(item.targets) ? (item.targets as unknown[]) : isJsonObject(item.targets) ? Object.values(item.targets) : [];
    for (const target of listed) {
      if (!isJsonObject(target)) continue;
      targets.push({ rule_id, resource: target.resource, region: target.region, account: target.account, location: target.location } as CheckedTarget);
    }
  }
  return targets;
}

/** The fields of opa-wasm's LoadedPolicy (1.10, pinned) that its evaluate uses, not in its typed API. */
interface PolicyInternals {
  minorVersion?: number;
  mem?: WebAssembly.Memory;
  wasmInstance?: WebAssembly.Instance;
  dataAddr?: number;
  dataHeapPtr?: number;
  entrypoints?: Record<string, number>;
}

type OpaEval = (reserved: number, entrypoint: number, data: number, input: number, inputLength: number, heap: number, format: number) => number;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * policy.evaluate(bytes, entrypoint) through the same ABI 1.2 call (opa_eval) without its two
 * copies: the JSON is encoded straight into the instance's memory, where opa-wasm would encode it
 * into a buffer and copy that in, and the result's end is found with indexOf, where opa-wasm scans
 * for it a byte at a time in JavaScript (at 10k resources a 600 KB result, in code the JIT has not
 * optimized yet on the one call a run makes). Any other opa-wasm takes its own path.
 */
export function evaluateJson(policy: LoadedPolicy, json: string, byteLength: number, entrypoint: string): { result: unknown }[] {
  const internals = policy as unknown as PolicyInternals;
  const { mem, wasmInstance, dataAddr, dataHeapPtr, entrypoints } = internals;
  const opaEval = wasmInstance?.exports.opa_eval;
  if ((internals.minorVersion ?? 0) < 2 || !(mem instanceof WebAssembly.Memory) || typeof opaEval !== 'function' || typeof dataAddr !== 'number' || typeof dataHeapPtr !== 'number' || !Object.hasOwn(entrypoints ?? {}, entrypoint)) {
    const bytes = encoder.encode(json);
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    return policy.evaluate(buffer as ArrayBuffer, entrypoint) as { result: unknown }[];
  }
  const short = dataHeapPtr + byteLength - mem.buffer.byteLength;
  if (short > 0) mem.grow(Math.ceil(short / PAGE_BYTES));
  const { written } = encoder.encodeInto(json, new Uint8Array(mem.buffer, dataHeapPtr, byteLength));
  const resultAddr = (opaEval as OpaEval)(0, entrypoints![entrypoint], dataAddr, dataHeapPtr, written, dataHeapPtr + written, 0);
  // The evaluation may have grown the memory: a new view of it.
  const memory = new Uint8Array(mem.buffer);
  return JSON.parse(decoder.decode(memory.subarray(resultAddr, memory.indexOf(0, resultAddr)))) as { result: unknown }[];
}

/** The compiled rules, loaded once and evaluated in-process. */
export class PolicyEngine {
  private constructor(
    private readonly module: WebAssembly.Module,
    private policy: LoadedPolicy,
    private pages: number,
    /** The catalog recorded when the default bundle was built (build/manifest.json), else undefined. */
    private readonly builtCatalog: RuleInfo[] | undefined,
  ) {}

  /** Loads build/policy.wasm (or the given bundle). */
  static load(wasmPath?: string): Promise<PolicyEngine> {
    return Promise.resolve(PolicyEngine.loadSync(wasmPath));
  }

  /** The same, for callers that cannot wait (a cdktf validation runs synchronously). */
  static loadSync(wasmPath?: string): PolicyEngine {
    // The first instance (the catalog, a small input) is small; a large input gets one of its own
    // (instanceFor), whose large initial memory spares the many small grow steps it would otherwise
    // cost (seconds at 50 MB); pages are only touched as they are used.
    const { wasm, catalog } = readPolicyBundle(wasmPath);
    try {
      // Compiled once; each instance (a larger one for a large input) shares the compiled code.
      const module = new WebAssembly.Module(wasm as unknown as BufferSource);
      // Synchronous: the async loader's `instanceof Response` check loads Node's fetch (undici) for nothing.
      return new PolicyEngine(module, loadPolicySync(module, { initial: SMALL_MEMORY_PAGES }, {}), SMALL_MEMORY_PAGES, catalog);
    } catch (error) {
      // Only a wrong file gets here (a compile or link error); the message says what the engine expected.
      throw new SetupError(`policy bundle ${wasmPath ?? DEFAULT_WASM} is not a policy wasm built by scripts/build-policies.sh (${(error as Error).message.replace(/^WebAssembly\.\w+\(\): /, '')})`);
    }
  }

  /** Every rule's findings and checked targets for one posture document. */
  evaluate(posture: Posture, settings: Settings): Evaluation {
    const result = this.only<Report>(this.evaluateInput(withExternalTrails(posture, settings.cloudtrail.external_trails), settings, 'sescheck/main/report'));
    return { findings: result.findings, checked: checkedTargets(result.checked) };
  }

  /** The rule catalog from the bundle's METADATA, with severities as the settings override them. */
  catalog(settings: Settings): RuleInfo[] {
    // The severity as policies/main.rego's severity(meta) gives it: the settings' level for the
    // rule's id, else the rule's own (test/engine/engine.test.ts holds the two to each other).
    const severities = settings.severities ?? {};
    if (this.builtCatalog !== undefined) {
      return this.builtCatalog.map((rule) => ({ ...rule, severity: Object.hasOwn(severities, rule.id) ? severities[rule.id] : rule.severity }));
    }
    this.policy.setData({ settings });
    return this.only<RuleInfo[]>(this.policy.evaluate({}, 'sescheck/main/catalog'));
  }

  /**
   * The storage the logging path names that the posture does not hold yet: what a live scan reads
   * next. The policy decides what is in the path (policies/lib/logging_path.rego, `to_read`).
   */
  loggingPathToRead(posture: Posture, settings: Settings): StorageToRead[] {
    return this.only<StorageToRead[]>(this.evaluateInput(posture, settings, 'sescheck/lib/logging_path/to_read'));
  }

  /** One entrypoint's result set for an input, in an instance sized for the input's JSON. */
  private evaluateInput(input: unknown, settings: Settings, entrypoint: string): { result: unknown }[] {
    // Serialized once here (the engine takes the text), so the instance can be sized for it.
    const json = JSON.stringify(input);
    const byteLength = Buffer.byteLength(json, 'utf8');
    const policy = this.instanceFor(byteLength);
    policy.setData({ settings });
    return evaluateJson(policy, json, byteLength, entrypoint);
  }

  /** An instance whose memory holds what evaluating an input of this size allocates. */
  private instanceFor(inputBytes: number): LoadedPolicy {
    const pages = memoryPagesFor(inputBytes);
    if (pages > this.pages) {
      this.policy = loadPolicySync(this.module, { initial: pages }, {});
      this.pages = pages;
    }
    return this.policy;
  }

  private only<T>(results: { result: unknown }[]): T {
    if (results.length !== 1) throw new Error(`policy returned ${results.length} results, expected 1`);
    return results[0].result as T;
  }
}
