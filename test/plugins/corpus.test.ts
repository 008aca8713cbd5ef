/**
 * Kong's own examples (../shared/kong/plugin-examples/<plugin>/*.yaml, written by Kong's documentation
 * team) through the whole library: each `config:` becomes the props of the plugin's typed construct,
 * synthesizes for Kong Enterprise 3.15, and the payload the apply-time program would PUT is accepted
 * by the emulator for Kong Enterprise 3.15. An example that cannot pass is listed in KNOWN_FAILURES
 * with its reason, and the test checks that it fails, and for that reason.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as library from "../../src/index.js";
import { resolveRefs } from "../../src/runtime/input.js";
import type { FieldFacts } from "../../src/schema/facts.js";
import { loadPluginFacts } from "../../src/schema/generated/catalog.js";
import { constructName, propName } from "../../src/schema/naming.js";
import { KongEmulator } from "../../src/testing/index.js";
import { PluginCatalog } from "../../src/testing/plugin-catalog.js";
import { call } from "../emulator/support.js";
import { applyRequest, resources, synthJson, unescapeTemplate } from "../support/synth.js";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLES = path.resolve(ROOT, "../shared/kong/plugin-examples");
const present = existsSync(EXAMPLES);
if (!present) console.warn(`\n*** SKIPPED: the corpus test needs Kong's plugin examples at ${EXAMPLES} ***\n`);

const SERVICE = "2d2ff3c3-6d70-4f1f-8b62-7b402d2b0001";
const ROUTE = "1c1ee2b2-5c6f-4e0e-9a51-6a3f1c1a0001";

/**
 * Values for the examples' placeholders: `${name}` (a `variables:` entry, whose value is an
 * environment variable of the reader's) and `${{ env "DECK_…" }}` (decK's). Each becomes a plausible
 * string of its kind; a placeholder that is the whole value of a field Kong types otherwise is listed
 * in KNOWN_FAILURES.
 */
const PLACEHOLDER_VALUES: ReadonlyArray<readonly [RegExp, (name: string) => string]> = [
  [/url|endpoint|uri|issuer/i, (name) => `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example.com/`],
  [/host/i, () => "backend.example.com"],
  [/email/i, () => "ops@example.com"],
  [/.*/, (name) => `example-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`],
];

function placeholderValue(name: string): string {
  return PLACEHOLDER_VALUES.find(([pattern]) => pattern.test(name))![1](name);
}

const PLACEHOLDER = /\$\{\{\s*env\s+"([A-Za-z0-9_]+)"\s*\}\}|\$\{([A-Za-z0-9_]+)\}/g;

/** Numbers for placeholders that are the whole value of a number field. */
const NUMBER_PLACEHOLDERS: Readonly<Record<string, number>> = { port: 8080 };

/** A string of an example with its placeholders replaced; a number where the field is one. */
function filled(value: string, kind: string | undefined): unknown {
  const whole = /^\$\{([A-Za-z0-9_]+)\}$/.exec(value);
  if (whole && (kind === "integer" || kind === "number")) {
    const number = NUMBER_PLACEHOLDERS[whole[1]!];
    if (number === undefined) throw new Error(`no number for the placeholder ${value}: add it to NUMBER_PLACEHOLDERS`);
    return number;
  }
  return value.replace(PLACEHOLDER, (_, deck: string | undefined, name: string | undefined) => placeholderValue((deck ?? name)!));
}

/** Kong's config (snake_case) as the construct's props: record fields camelCased, map keys kept, placeholders filled. */
function toProps(field: FieldFacts | undefined, value: unknown): unknown {
  if (typeof value === "string") return filled(value, field?.t);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => toProps(field?.t === "array" ? field.i : undefined, item));
  const object = value as Record<string, unknown>;
  if (field?.t === "record") return Object.fromEntries(Object.entries(object).map(([k, v]) => [field.f?.[k] ? propName(k) : k, toProps(field.f?.[k], v)]));
  // a map (keys are the user's), or a value of no known field (left for the library to report)
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toProps(field?.t === "map" ? field.m : undefined, v)]));
}

/** The env a provisioner would get, as Terraform would fill it from the resource (and the stack's locals). */
function provisionerEnv(configResource: any, json: any): Record<string, string> {
  const environment: Record<string, string> = configResource.provisioner[0]["local-exec"].environment;
  const evaluate = (raw: string): string => {
    const local = /^\$\{local\.([A-Za-z0-9_]+)\}$/.exec(raw);
    const sensitive = /^\$\{sensitive\((".*")\)\}$/s.exec(raw);
    const trigger = /^\$\{self\.triggers_replace\.([A-Za-z0-9_]+)\}$/.exec(raw);
    if (local) return evaluate(String(json.locals[local[1]!]));
    if (sensitive) return JSON.parse(sensitive[1]!) as string;
    if (trigger) return unescapeTemplate(String(configResource.triggers_replace[trigger[1]!]));
    return raw;
  };
  return Object.fromEntries(Object.entries(environment).map(([name, raw]) => [name, evaluate(raw)]));
}

interface Example {
  readonly id: string;
  readonly plugin: string;
  readonly doc: Record<string, unknown>;
}

function examples(): Example[] {
  if (!present) return [];
  const out: Example[] = [];
  for (const plugin of readdirSync(EXAMPLES).sort()) {
    const dir = path.join(EXAMPLES, plugin);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
      out.push({ id: `${plugin}/${file}`, plugin, doc: parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown> });
    }
  }
  return out;
}

/** Where an example stops: synth (the library refuses it) or emulator (Kong would). */
type Outcome = { readonly ok: true } | { readonly ok: false; readonly stage: "construct" | "synth" | "emulator"; readonly reason: string };

/** A known failure: where it stops, a part of the message that says why, and why in words. */
interface KnownFailure {
  readonly stage: "construct" | "synth" | "emulator";
  readonly reason: string;
  readonly why: string;
  /** for a failure at synth: a part of the emulator's message for the same config (Kong's names), which Kong must refuse too */
  readonly emulator?: string;
}

/** Partner plugins: Kong publishes examples of them but no schema, so the library has no construct. */
const PARTNER_PLUGINS = [
  "amberflo/enable-amberflo.yaml",
  "appsentinels/logging-transparent-mode.yaml",
  "aws-request-signing/enable-aws-request-signing.yaml",
  "crowdstrike-aidr-request/enable-crowdstrike-aidr-request.yaml",
  "harness-waap/enable-harness-waap.yaml",
  "imp-appsec-connector/enable-imperva.yaml",
  "impart/enable-impart.yaml",
  "kong-response-size-limiting/payload-with-limit.yaml",
  "kong-spec-expose/expose-spec.yaml",
  "kong-splunk-log/send-logs-to-splunk.yaml",
  "moesif/enable-moesif-plugin.yaml",
  "noma-runtime-protection/enable-noma-runtime-protection.yaml",
  "nonamesecurity/enable-nonamesecurity-plugin.yaml",
  "panw-apisec-http-log/enable-panw-apisec-httplog.yaml",
  "prisma-airs-intercept/enable-prisma-airs-intercept.yaml",
  "salt-agent/enable-salt-plugin.yaml",
  "skyflow-ai-data-control/deidentify-only.yaml",
  "trend-micro-kong-plugin-aps/enable-trendai-plugin.yaml",
];

/** The examples that cannot pass. */
const KNOWN_FAILURES: Readonly<Record<string, KnownFailure>> = {
  ...Object.fromEntries(
    PARTNER_PLUGINS.map((id) => [id, { stage: "construct", reason: "no construct Plugin", why: "a partner plugin: Kong publishes no schema of it" } as const]),
  ),
  "ai-proxy/sdk-azure-deployment.yaml": {
    stage: "synth",
    reason: "config.model.model: unknown field",
    why: "the example names the model `model.model`; Kong's field is `model.name`",
    emulator: "config.model: {\n  model = \"unknown field\"\n}",
  },
  "ai-proxy/video-generation-openai.yaml": {
    stage: "synth",
    reason: "config.model.options.seconds: unknown field",
    why: "`model.options.seconds` and `size` are not in Kong's published 3.15 schema",
    emulator: "seconds = \"unknown field\"",
  },
  "ai-proxy-advanced/video-generation-openai.yaml": {
    stage: "synth",
    reason: "config.targets[0].model.options.seconds: unknown field",
    why: "`model.options.seconds` and `size` are not in Kong's published 3.15 schema",
    emulator: "seconds = \"unknown field\"",
  },
  "ai-proxy-advanced/sdk-multiple-azure-deployments.yaml": {
    stage: "synth",
    reason: "config: expected a record",
    why: "the example's `config:` is a list of two configs",
    emulator: "config: expected a record",
  },
  "ai-proxy-advanced/sdk-two-routes.yaml": {
    stage: "synth",
    reason: "config.targets[0].targets: unknown field",
    why: "the example nests its second target inside the first",
    emulator: "targets = \"unknown field\"",
  },
  "ai-proxy-advanced/xai-image-generation.yaml": {
    stage: "synth",
    reason: "config.targets[0].genai_category: unknown field",
    why: "the example puts `genai_category` in a target; Kong's field is `config.genai_category`",
    emulator: "genai_category = \"unknown field\"",
  },
};

/** The example's config as Kong names it (snake_case), placeholders filled as strings. */
function kongConfig(value: unknown): unknown {
  if (typeof value === "string") return filled(value, undefined);
  if (Array.isArray(value)) return value.map(kongConfig);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, kongConfig(v)]));
  return value;
}

/** Kong's verdict on the example's config as written (no construct in between): its message, or undefined when accepted. */
async function emulatorVerdict(example: Example): Promise<string | undefined> {
  resetKong();
  const res = await call(kong, "POST", `/routes/${ROUTE}/plugins`, { name: example.plugin, config: kongConfig(example.doc["config"] ?? {}) });
  return res.status === 201 ? undefined : `${res.status} ${res.body?.message ?? res.text}`;
}

function resetKong(): void {
  kong.reset();
  kong.addService({ id: SERVICE, name: "svc" });
  kong.addRoute({ id: ROUTE, name: "r1", service: { id: SERVICE } });
}

let kong: KongEmulator;
const catalog = new PluginCatalog("enterprise", "3.15.0");

beforeAll(async () => {
  kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0" });
});
afterAll(async () => {
  await kong?.stop();
});

async function run(example: Example): Promise<Outcome> {
  const ClassOf = (library as unknown as Record<string, new (scope: unknown, id: string, props: unknown) => unknown>)[constructName(example.plugin)];
  const facts = loadPluginFacts(example.plugin);
  if (!ClassOf || !facts) return { ok: false, stage: "construct", reason: `no construct ${constructName(example.plugin)}` };
  const config = toProps(facts.config, example.doc["config"] ?? {});
  const global = Array.isArray(example.doc["targets"]) && (example.doc["targets"] as unknown[]).includes("global");
  const scopes = catalog.variant(example.plugin)?.scopes;
  const scope = global ? {} : scopes?.has("route") ? { route: { id: ROUTE } } : scopes?.has("service") ? { service: { id: SERVICE } } : {};
  const app = Testing.app();
  const stack = new TerraformStack(app, "corpus");
  new library.KongGatewayProvider(stack, "kong", { kongVersion: "3.15", edition: "enterprise", layout: "per-resource" });
  let json: any;
  try {
    new ClassOf(stack, "example", { ...scope, config });
    json = synthJson(stack);
  } catch (error) {
    return { ok: false, stage: "synth", reason: (error as Error).message };
  }
  const [configResource] = Object.entries<any>(resources(json)).filter(([id]) => id.startsWith("example_config"));
  const request = applyRequest(configResource![1]);
  const payload = resolveRefs(request.payload, provisionerEnv(configResource![1], json));
  resetKong();
  const res = await call(kong, "PUT", `/plugins/${request.pluginId}`, payload);
  if (res.status !== 200) return { ok: false, stage: "emulator", reason: `${res.status} ${res.body?.message ?? res.text}` };
  return { ok: true };
}

describe.skipIf(!present)("Kong's plugin examples", () => {
  const all = examples();

  it("finds the examples", () => {
    expect(all.length).toBeGreaterThan(300);
    for (const id of Object.keys(KNOWN_FAILURES)) expect(all.map((e) => e.id), `KNOWN_FAILURES names ${id}`).toContain(id);
  });

  it("synthesize for Kong Enterprise 3.15 and are accepted by its emulator, but the listed ones", { timeout: 600_000 }, async () => {
    const counts = { total: all.length, passed: 0, knownFailures: 0 };
    const problems: string[] = [];
    for (const example of all) {
      const outcome = await run(example);
      const known = KNOWN_FAILURES[example.id];
      if (outcome.ok) {
        counts.passed++;
        if (known) problems.push(`${example.id}: passes, but is listed as a known failure (${known.why})`);
      } else if (!known) {
        problems.push(`${example.id}: ${outcome.stage}: ${outcome.reason}`);
      } else if (outcome.stage !== known.stage || !outcome.reason.includes(known.reason)) {
        problems.push(`${example.id}: fails at ${outcome.stage} (${outcome.reason}), not as listed: ${known.stage} (${known.reason})`);
      } else if (known.emulator !== undefined) {
        // what the library refuses at synth, Kong refuses too
        const verdict = await emulatorVerdict(example);
        if (verdict === undefined || !verdict.includes(known.emulator)) problems.push(`${example.id}: the emulator says ${verdict ?? "201"}, not as listed: ${known.emulator}`);
        else counts.knownFailures++;
      } else counts.knownFailures++;
    }
    if (problems.length > 0) console.log(problems.join("\n"));
    console.log(`Kong's plugin examples: ${counts.total} total, ${counts.passed} passed, ${counts.knownFailures} known failures`);
    expect(problems).toEqual([]);
    expect(counts.passed + counts.knownFailures).toBe(counts.total);
  });
});
