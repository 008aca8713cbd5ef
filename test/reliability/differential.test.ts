/**
 * Hostile input, differential: for thousands of generated configurations, valid and invalid, the
 * library's validators (synth: `validateAttributes`; apply: `validateKongPayload`) and the emulator's
 * independent, Kong-faithful validator (`validateSessionPlugin`) agree on accept or reject.
 *
 * Deliberate differences are named below, each with its reason, and counted in the report; every
 * other disagreement fails the test with a shrunk counterexample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateAttributes, validateKongPayload, type ValidationIssue } from "../../src/schema/index.js";
import { isWellFormedJson } from "../../src/testing/emulator.js";
import { KongInternalError } from "../../src/testing/kong-errors.js";
import { validateSessionPlugin } from "../../src/testing/kong-schema.js";
import { kongPayload, sessionProps } from "./support/arbitraries.js";
import { FULL, size } from "./support/mode.js";
import { n, record } from "./support/results.js";

const RUNS = size(4_000, 25_000);
const SEED = Number(process.env.KONG_RELIABILITY_SEED ?? (FULL ? 20260702 : 424242));
/** Kong Enterprise 3.15: the newest schema, with every field the library knows. */
const KONG = { edition: "enterprise", version: "3.15.0" } as const;

/**
 * Where this library deliberately rejects what Kong's schema accepts. A case counts as deliberate
 * only when EVERY issue the library reports is of one of these kinds; it is tallied under each kind
 * it shows.
 */
export const DELIBERATE: ReadonlyArray<{ readonly id: string; readonly why: string; readonly matches: (issue: ValidationIssue) => boolean }> = [
  {
    id: "negative timeout",
    why: "Kong accepts negative timeouts (and has no numeric bounds); the library rejects negative and non-finite ones at synth, since a negative timeout makes no sense to the session library",
    matches: (i) => i.message === "expected a finite number that is not negative",
  },
  {
    id: "extra key in route/service",
    why: "next to a valid id, Kong ignores other keys of a foreign reference (validate_primary_key(value, true)), and without one it looks the entity up by a unique field such as its name, in its database; the library references routes and services by id only and reports any other key as an unknown field (pinned by test/schema/validate.test.ts)",
    matches: (i) => i.code === "unknown_field" && (i.kongPath[0] === "route" || i.kongPath[0] === "service") && i.kongPath.length === 2,
  },
  {
    id: "updated_at not an integer",
    why: "Kong does not validate updated_at (an `unvalidated_fields` entry) and overwrites it on every write; the library checks that it is an integer (pinned by test/schema/validate.test.ts)",
    matches: (i) => i.kongPath.length === 1 && i.kongPath[0] === "updated_at",
  },
  {
    id: "timestamp beyond 2^53",
    why: "Kong's `integer` is any integral number; the library's timestamps are safe integers (zod's `int`, pinned by test/schema/json-schema.test.ts); Postgres would refuse such a timestamp anyway",
    matches: (i) => i.kongPath[0] === "created_at" && typeof i.value === "number" && Number.isInteger(i.value) && Math.abs(i.value) > Number.MAX_SAFE_INTEGER,
  },
  {
    id: "[] for a record",
    why: "Lua has one empty table, so Kong takes an empty JSON array where it expects a record (`config: []`); the library's JSON types are distinct and the TypeScript types rule it out",
    matches: (i) => Array.isArray(i.value) && i.value.length === 0 && i.message === "expected a record",
  },
];

type Verdict = { readonly accepted: true } | { readonly accepted: false; readonly why: string };

/** What Kong answers to this body, as the emulator's independent validator says. */
function kongVerdict(body: Record<string, unknown>): Verdict {
  // Kong's JSON decoder (lua-cjson) refuses a body with a lone surrogate escape before any schema
  if (!isWellFormedJson(body)) return { accepted: false, why: "Cannot parse JSON body" };
  try {
    const error = validateSessionPlugin(body as never, KONG);
    return error ? { accepted: false, why: error.message } : { accepted: true };
  } catch (error) {
    if (error instanceof KongInternalError) return { accepted: false, why: "500 An unexpected error occurred" };
    throw error;
  }
}

interface Tally {
  cases: number;
  bothAccept: number;
  bothReject: number;
  /** cases the library rejects only for deliberate reasons */
  deliberateCases: number;
  /** those cases by kind (a case may show several) */
  deliberate: Record<string, number>;
}

/** Compares one case; throws (fails the property) on a disagreement that is not deliberate. */
function compare(tally: Tally, issues: readonly ValidationIssue[], kong: Verdict, input: unknown): void {
  tally.cases++;
  const libraryAccepts = issues.length === 0;
  if (libraryAccepts && kong.accepted) tally.bothAccept++;
  else if (!libraryAccepts && !kong.accepted) tally.bothReject++;
  else if (!libraryAccepts && kong.accepted) {
    const unexplained = issues.filter((issue) => !DELIBERATE.some((d) => d.matches(issue)));
    if (unexplained.length > 0) {
      throw new Error(`the library rejects what Kong accepts: ${unexplained.map((i) => `${i.propPath}: ${i.message}`).join("; ")}\n${JSON.stringify(input)}`);
    }
    tally.deliberateCases++;
    for (const kind of DELIBERATE.filter((d) => issues.some((issue) => d.matches(issue)))) {
      tally.deliberate[kind.id] = (tally.deliberate[kind.id] ?? 0) + 1;
    }
  } else {
    throw new Error(`the library accepts what Kong rejects (${(kong as { why: string }).why})\n${JSON.stringify(input)}`);
  }
}

const tallies: Record<string, Tally> = {};
const newTally = (name: string): Tally => (tallies[name] = { cases: 0, bothAccept: 0, bothReject: 0, deliberateCases: 0, deliberate: {} });

describe(`differential: library validators vs the Kong-faithful validator (Kong ${KONG.edition} ${KONG.version}), seed ${SEED}`, () => {
  it(`apply-time validateKongPayload agrees with Kong on ${n(RUNS)} generated bodies`, () => {
    const tally = newTally("payload");
    fc.assert(
      fc.property(kongPayload, (body) => compare(tally, validateKongPayload(body), kongVerdict(body), body)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(tally.cases).toBe(RUNS);
    // both sides of the line are well covered
    expect(tally.bothAccept).toBeGreaterThan(RUNS / 5);
    expect(tally.bothReject).toBeGreaterThan(RUNS / 5);
  });

  it(`synth-time validateAttributes agrees with Kong on ${n(RUNS)} generated PluginSession props`, () => {
    const tally = newTally("props");
    fc.assert(
      fc.property(sessionProps, ({ props, body }) => compare(tally, validateAttributes(props).issues, kongVerdict(body), props)),
      { numRuns: RUNS, seed: SEED + 1, endOnFailure: true },
    );
    expect(tally.cases).toBe(RUNS);
    expect(tally.bothAccept).toBeGreaterThan(RUNS / 5);
    expect(tally.bothReject).toBeGreaterThan(RUNS / 5);
  });

  it("fails on a disagreement (the comparison itself can fail)", () => {
    const tally = newTally("self-check");
    // Kong rejects a negative created_at; pretend the library accepted it
    expect(() => compare(tally, [], kongVerdict({ name: "session", created_at: -1 }), {})).toThrow(/accepts what Kong rejects/);
    // a deliberate kind covers a case only when every issue is of that kind
    const negative: ValidationIssue = { code: "invalid_value", kongPath: ["config", "stale_ttl"], propPath: "config.staleTtl", value: -1, message: "expected a finite number that is not negative" };
    const other: ValidationIssue = { ...negative, kongPath: ["config", "cookie_name"], message: "expected a string" };
    expect(() => compare(tally, [negative, other], { accepted: true }, {})).toThrow(/rejects what Kong accepts/);
    compare(tally, [negative], { accepted: true }, {});
    expect(tally.deliberate).toEqual({ "negative timeout": 1 });
  });

  it("records the tallies", () => {
    const rows = (["payload", "props"] as const).map((name) => {
      const t = tallies[name]!;
      return {
        tried:
          name === "payload"
            ? "generated Kong bodies (snake_case) through the apply-time validator `validateKongPayload` and the emulator's `validateSessionPlugin`"
            : "generated PluginSession props (camelCase, with unset `null`s) through the synth-time `validateAttributes`, and their Kong body through `validateSessionPlugin`",
        times: `${n(t.cases)} cases (fast-check, seed ${name === "payload" ? SEED : SEED + 1})`,
        held: `agree on every case: ${n(t.bothAccept)} accepted by both, ${n(t.bothReject)} rejected by both; ${n(t.deliberateCases)} cases rejected by the library only for deliberate reasons (${Object.entries(t.deliberate)
          .map(([k, v]) => `${k}: ${n(v)}`)
          .join(", ")}); 0 other disagreements`,
      };
    });
    record({
      id: "hostile-differential",
      rows,
      figures: Object.fromEntries(DELIBERATE.map((d) => [`deliberate difference: ${d.id}`, d.why])),
    }, ["test/reliability/support/arbitraries.ts"]);
  });
});
