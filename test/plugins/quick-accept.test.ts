/**
 * The quick proof of validity (`acceptsQuickly`) and the parse it spares: for generated bodies of
 * every plugin at open-source and Enterprise targets (config and entity fields, right and wrong,
 * nulls and references among them), `validatePluginBody` says exactly the same with the proof as
 * without it, and the proof does spare the parse of almost every valid body (the reason it exists).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptsQuickly, existsAt } from "../../src/schema/engine/facts-schema.js";
import { resolveTarget, type KongTarget } from "../../src/schema/engine/target.js";
import { pluginAvailability, validatePluginBody } from "../../src/schema/engine/validate-plugin.js";
import type { PluginFacts } from "../../src/schema/facts.js";
import { CATALOG, loadPluginFacts } from "../../src/schema/generated/catalog.js";
import { DATA_VERSIONS } from "../../src/schema/generated/versions.js";
import { record, valid, type Json } from "../support/facts-arbitraries.js";

const RUNS = Number(process.env.KONG_QUICK_ACCEPT_RUNS ?? 40);
const SEED = 20261203;

/** 3.5 has no published schemas: the validator consults both neighbours there. */
const TARGETS: readonly KongTarget[] = [
  { edition: "enterprise", version: "3.15" },
  { edition: "enterprise", version: "3.10" },
  { edition: "enterprise", version: "3.5" },
  { edition: "oss", version: "3.9" },
  { edition: "oss", version: "3.4" },
];

/** A reference as the tests write one: any string of this shape, or an object with `resolve`. */
const TOKEN = "${TfToken[TOKEN.7]}";
const isToken = (value: unknown) => value === TOKEN || (typeof value === "object" && value !== null && typeof (value as { resolve?: unknown }).resolve === "function");
const tokenObject = { resolve: () => "x" };

const UUID = "3473c251-5b6c-4f45-b1ff-000000000001";

/** Right values of the entity fields, and wrong, null or referenced ones, per field. */
const ENTITY_VALUES: Readonly<Record<string, { readonly right: readonly unknown[]; readonly other: readonly unknown[] }>> = {
  id: { right: [UUID, TOKEN], other: ["not-a-uuid", null, ""] },
  instance_name: { right: ["checkout-limits", TOKEN], other: ["has space", "", 12, "\ud800"] },
  enabled: { right: [true, false, TOKEN], other: ["yes", null] },
  tags: { right: [["team-a", "env:prod"], [TOKEN], tokenObject], other: [["a,b"], ["cdktf-kong-gateway:owner=x"], [""], "tag", [null]] },
  protocols: { right: [["http", "https"], ["grpc"], TOKEN], other: [["ws"], ["gopher"], [], "http"] },
  route: { right: [{ id: UUID }, { id: TOKEN }, tokenObject], other: [{ id: "nope" }, { id: UUID, name: "r" }, {}, "route", { id: null }] },
  service: { right: [{ id: UUID }], other: [{ id: null }, { id: 1 }] },
  consumer: { right: [{ id: UUID }], other: [{ id: "x" }] },
  consumer_group: { right: [{ id: UUID }], other: [[UUID]] },
  // the rarer fields, which the proof leaves to the parse, right or wrong
  ordering: { right: [], other: [{ before: { access: ["acl"] } }, { before: "acl" }] },
  created_at: { right: [], other: [1700000000, -1] },
  not_a_plugin_field: { right: [], other: [1, undefined] },
};

const LEFT_TO_THE_PARSE = ["ordering", "partials", "condition", "created_at", "updated_at"];

/** The scopes, which not every plugin takes: given less often than the other fields. */
const SCOPES = new Set(["service", "consumer", "consumer_group"]);

/** Entity fields, each right, or (one of them, now and then) wrong, null or a reference. */
const entity: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      Object.fromEntries(
        Object.entries(ENTITY_VALUES)
          .filter(([, v]) => v.right.length > 0)
          .map(([key, v]) => [key, SCOPES.has(key) ? fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...v.right) }) : fc.constantFrom(...v.right)]),
      ),
      { requiredKeys: [] },
    ),
    fc.option(fc.constantFrom(...Object.entries(ENTITY_VALUES).flatMap(([key, v]) => v.other.map((value) => [key, value] as const))), { freq: 3 }),
  )
  .map(([fields, wrong]) => {
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([key, value]) => value !== undefined || !SCOPES.has(key)));
    if (wrong) out[wrong[0]] = wrong[1];
    return out;
  });

const HOLES: readonly unknown[] = ["delete", null, undefined, TOKEN, tokenObject, "a string", "", 7, 1.5, 2 ** 60, [], {}, [null], { k: undefined }];

/** A config with, now and then, one of its values (at any depth) deleted or replaced by a null, a reference or a value of another kind. */
function withHole(config: Json): fc.Arbitrary<unknown> {
  return fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.constantFrom(...HOLES), fc.boolean()).map(([choices, hole, keep]) => {
    if (keep) return config;
    const copy = structuredClone(config) as unknown;
    let node = copy;
    for (const [depth, choice] of choices.entries()) {
      if (node === null || typeof node !== "object") break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[choice % keys.length]!;
      const child = (node as Record<string, unknown>)[key];
      const last = depth === choices.length - 1 || child === null || typeof child !== "object" || Object.keys(child).length === 0;
      if (last) {
        if (hole === "delete" && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
        else (node as Record<string, unknown>)[key] = hole === "delete" ? null : hole;
        break;
      }
      node = child;
    }
    return copy;
  });
}

/** A number of a string (FNV-1a), to vary the seed by plugin and target. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 1_000_000;
}

/** A right config with one field of the plugin that the data version lacks (another version has it), when there is one. */
function withFieldOfAnotherVersion(facts: PluginFacts, index: number, config: fc.Arbitrary<Json>): fc.Arbitrary<Json> | undefined {
  const others = Object.entries(facts.config.f ?? {}).filter(([, child]) => !existsAt(child, index));
  if (others.length === 0) return undefined;
  return fc.tuple(config, fc.constantFrom(...others)).chain(([base, [name, child]]) => {
    const where = DATA_VERSIONS.findIndex((_, i) => existsAt(child, i));
    return valid(child, where, 1).map((value) => (base !== null && typeof base === "object" && !Array.isArray(base) ? { ...base, [name]: value } : base));
  });
}

function body(facts: PluginFacts, index: number): fc.Arbitrary<Record<string, unknown>> {
  const right = record(facts.config, index, 0, false);
  const another = withFieldOfAnotherVersion(facts, index, right);
  const anyConfig = fc.oneof(record(facts.config, index, 0, true), right.chain(withHole), ...(another ? [another] : []));
  return fc.oneof(
    // the common case: a right config and the usual entity fields
    { weight: 3, arbitrary: right.map((config) => ({ name: facts.name, instance_name: "i-1", tags: ["t"], route: { id: UUID }, config })) },
    { weight: 4, arbitrary: fc.tuple(entity, anyConfig).map(([fields, config]) => ({ name: facts.name, ...fields, config })) },
    { weight: 1, arbitrary: fc.tuple(entity, fc.constantFrom<unknown>(undefined, null, TOKEN, [], "config")).map(([fields, config]) => ({ name: facts.name, ...fields, config })) },
    { weight: 1, arbitrary: right.map((config) => ({ name: `${facts.name}-other`, config })) },
  );
}

describe("the quick proof of validity says what the parse says", () => {
  const tally = { cases: 0, valid: 0, sparedValid: 0, spared: 0 };
  for (const library of TARGETS) {
    const target = resolveTarget(library);
    const names = CATALOG.map((entry) => entry.name).filter((name) => pluginAvailability(loadPluginFacts(name)!, target) === undefined);
    it(`for ${names.length} plugins of ${library.edition} ${library.version}, ${RUNS} bodies each`, () => {
      for (const name of names) {
        const facts = loadPluginFacts(name)!;
        fc.assert(
          fc.property(body(facts, target.dataIndex), (candidate) => {
            const parsed = validatePluginBody(facts, candidate, target, isToken, undefined, { quick: false });
            const quick = validatePluginBody(facts, candidate, target, isToken);
            expect(quick).toEqual(parsed);
            const spared = acceptsQuickly(facts, candidate, target, isToken);
            tally.cases++;
            if (spared) tally.spared++;
            // the rarer entity fields are the parse's by design, and so is a version without published
            // schemas (3.5) where the version before refuses what the one after takes
            if (parsed.length === 0 && !LEFT_TO_THE_PARSE.some((field) => field in candidate) && library.version !== "3.5") {
              tally.valid++;
              if (spared) tally.sparedValid++;
            }
          }),
          // a seed of each plugin and target: with one seed, every plugin would get the same few entity fields
          { numRuns: RUNS, seed: SEED + seedOf(`${name}@${library.edition}-${library.version}`) },
        );
      }
    });
  }

  it("spares the parse of almost every valid body without the rarer entity fields, and prints the counts", () => {
    process.stdout.write(
      `quick proof: ${tally.cases} bodies, ${tally.valid} valid without the rarer entity fields at versions with published schemas, the parse spared for ${tally.sparedValid} of them (${tally.spared} bodies in all)\n`,
    );
    expect(tally.cases).toBeGreaterThan(10_000);
    expect(tally.valid).toBeGreaterThan(3000);
    expect(tally.sparedValid / tally.valid).toBeGreaterThan(0.99);
  });
});

describe("acceptsQuickly leaves to the parse what it cannot decide", () => {
  const target = resolveTarget({ edition: "enterprise", version: "3.15" });
  const cases: ReadonlyArray<[string, Record<string, unknown>, boolean, string?]> = [
    ["a valid body", { name: "rate-limiting", route: { id: UUID }, config: { minute: 5 } }, true],
    ["references anywhere", { name: "rate-limiting", route: { id: TOKEN }, enabled: TOKEN, config: { minute: TOKEN, policy: TOKEN } }, true],
    ["a null: unset", { name: "rate-limiting", config: { minute: 5, hour: null } }, true],
    ["no config: Kong fills it in", { name: "rate-limiting" }, true],
    ["an unknown field", { name: "rate-limiting", config: { minute: 5, minutes: 5 } }, false],
    ["an unknown field holding a reference", { name: "rate-limiting", config: { minute: 5, minutes: TOKEN } }, false],
    ["a field given as undefined", { name: "rate-limiting", config: { minute: 5, not_a_field: undefined } }, false],
    ["a value out of bounds", { name: "rate-limiting", config: { minute: 5, redis: { port: 70000 } } }, false],
    ["a map value given as undefined", { name: "opentelemetry", config: { traces_endpoint: "http://otel:4318/v1/traces", headers: { "x-tenant": undefined } } }, false],
    ["a map value given as null: unset", { name: "opentelemetry", config: { traces_endpoint: "http://otel:4318/v1/traces", headers: { "x-tenant": null } } }, true],
    ["a value of another kind", { name: "rate-limiting", config: { minute: "5" } }, false],
    ["a value outside the enum", { name: "rate-limiting", config: { minute: 5, policy: "cluster-wide" } }, false],
    ["a vault reference where the schema wants an enum value", { name: "rate-limiting", config: { minute: 5, policy: "{vault://env/policy}" } }, false],
    ["a rarer entity field", { name: "rate-limiting", config: { minute: 5 }, ordering: { before: { access: ["acl"] } } }, false],
    ["a body of another name", { name: "rate-limiting", config: { minute: 5 } }, false, "cors"],
    ["a consumer group", { name: "rate-limiting", consumer_group: { id: UUID }, config: { minute: 5 } }, true],
    ["a scope the plugin does not take", { name: "cors", consumer: { id: UUID } }, false],
    ["another plugin's valid body", { name: "cors", route: { id: UUID }, config: { origins: ["https://a.example"] } }, true],
    ["the owner tag", { name: "rate-limiting", tags: ["cdktf-kong-gateway:owner=x"], config: { minute: 5 } }, false],
  ];
  for (const [what, candidate, expected, plugin = String(candidate.name)] of cases) {
    it(`${what}: ${expected ? "accepted" : "parsed"}`, () => {
      expect(acceptsQuickly(loadPluginFacts(plugin)!, candidate, target, isToken)).toBe(expected);
    });
  }
});
