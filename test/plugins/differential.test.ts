/**
 * Differential, every plugin: for generated configurations of every plugin that Kong Enterprise 3.15
 * and open-source Kong 3.9 have, valid and invalid, the library's synth validator (the facts engine,
 * `validatePluginBody`) and the emulator's independent one (ajv over the generated JSON Schemas, plus
 * Kong's entity checks: `checkPluginBody`) agree on accept or reject. They share Kong's data, never
 * code. Both also agree on which plugins exist at every target tested.
 *
 * The configurations come from the library's tables of facts (the data both sides derive from), with
 * values that are right for a field, wrong in kind, out of an enum or bound, or names no field has.
 * Any disagreement fails with a shrunk counterexample; deliberate ones are listed below, with reasons.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveTarget, type KongTarget } from "../../src/schema/engine/target.js";
import { pluginAvailability, validatePluginBody } from "../../src/schema/engine/validate-plugin.js";
import type { PluginFacts } from "../../src/schema/facts.js";
import { CATALOG, loadPluginFacts } from "../../src/schema/generated/catalog.js";
import { checkPluginBody } from "../../src/testing/kong-schema.js";
import { PluginCatalog } from "../../src/testing/plugin-catalog.js";
import { record, type Json } from "../support/facts-arbitraries.js";

const RUNS = Number(process.env.KONG_DIFFERENTIAL_RUNS ?? 40);
const SEED = 20261202;

const TARGETS: ReadonlyArray<{ readonly library: KongTarget; readonly emulator: { edition: "community" | "enterprise"; version: string } }> = [
  { library: { edition: "enterprise", version: "3.15" }, emulator: { edition: "enterprise", version: "3.15.0" } },
  { library: { edition: "oss", version: "3.9" }, emulator: { edition: "community", version: "3.9.1" } },
];

/** Every target the version gating is tested on: both sides must agree on which plugins exist. */
const EXISTENCE_TARGETS: ReadonlyArray<readonly [KongTarget, "community" | "enterprise", string]> = [
  [{ edition: "oss", version: "3.4" }, "community", "3.4.2"],
  [{ edition: "oss", version: "3.9" }, "community", "3.9.1"],
  [{ edition: "enterprise", version: "3.10" }, "enterprise", "3.10.0"],
  [{ edition: "enterprise", version: "3.12" }, "enterprise", "3.12.0"],
  [{ edition: "enterprise", version: "3.15" }, "enterprise", "3.15.0"],
];

/**
 * Where the two validators deliberately differ; a case counts only when every one of the library's
 * problems is of the kind named.
 */
const DELIBERATE: ReadonlyArray<{ readonly id: string; readonly why: string; readonly matches: (message: string) => boolean }> = [];

/** Where the library deliberately accepts what Kong refuses, leaving it to Kong at apply (which the program maps back to props). */
const LEFT_TO_KONG: ReadonlyArray<{ readonly id: string; readonly why: string; readonly matches: (name: string, kong: string) => boolean }> = [
  {
    id: "nginx shared dictionary",
    why: "rate-limiting-advanced's `dictionary_name` must name a shared dictionary of the nodes' nginx configuration (`lua_shared_dict`): only Kong knows it; the default `kong_rate_limiting_counters` always exists",
    matches: (name, kong) => name === "rate-limiting-advanced" && /^schema violation \(missing shared dict '/.test(kong),
  },
  {
    id: "union of records",
    why: "datakit's `nodes` are each one of several record shapes chosen by their `type` (a JSON Schema `oneOf`); the tables of facts keep no unions, so the library takes any item there and Kong checks it at apply",
    matches: (name, kong) => name === "datakit" && /^schema violation \(config\.nodes[.:]/.test(kong),
  },
];

function libraryProblems(facts: PluginFacts, config: Json, target: ReturnType<typeof resolveTarget>): string[] {
  return validatePluginBody(facts, { name: facts.name, config }, target).map((issue) => `${issue.propPath}: ${issue.message}`);
}

function emulatorVerdict(name: string, config: Json, emulator: { edition: "community" | "enterprise"; version: string }): string | undefined {
  const error = checkPluginBody({ name, config } as Record<string, unknown> as never, emulator).error;
  return error === undefined ? undefined : error.message;
}

describe("which plugins exist", () => {
  for (const [library, edition, version] of EXISTENCE_TARGETS) {
    it(`the library and the emulator agree for ${library.edition} ${library.version}`, () => {
      const target = resolveTarget(library);
      const known = CATALOG.filter((entry) => pluginAvailability(loadPluginFacts(entry.name)!, target) === undefined).map((entry) => entry.name).sort();
      const emulated = [...new PluginCatalog(edition, version).names].sort();
      expect(known).toEqual(emulated);
    });
  }
});

describe("generated configurations of every plugin: the library and the emulator agree", () => {
  const tally = { cases: 0, accepted: 0, rejected: 0, plugins: 0, leftToKong: 0 };
  for (const { library, emulator } of TARGETS) {
    const target = resolveTarget(library);
    const names = CATALOG.filter((entry) => entry.name !== "session" && pluginAvailability(loadPluginFacts(entry.name)!, target) === undefined).map((entry) => entry.name);
    it(`for ${names.length} plugins of ${library.edition} ${library.version}, ${RUNS} configurations each`, () => {
      const disagreements: string[] = [];
      for (const name of names) {
        const facts = loadPluginFacts(name)!;
        tally.plugins++;
        const configs = record(facts.config, target.dataIndex, 0, true);
        fc.assert(
          fc.property(configs, (config) => {
            const problems = libraryProblems(facts, config, target);
            const kong = emulatorVerdict(name, config, emulator);
            tally.cases++;
            if (kong === undefined) tally.accepted++;
            else tally.rejected++;
            const libraryAccepts = problems.length === 0;
            if (libraryAccepts === (kong === undefined)) return true;
            if (!libraryAccepts && problems.every((p) => DELIBERATE.some((d) => d.matches(p)))) return true;
            if (libraryAccepts && kong !== undefined && LEFT_TO_KONG.some((d) => d.matches(name, kong))) {
              tally.leftToKong++;
              return true;
            }
            disagreements.push(`${name} ${JSON.stringify(config)}: library ${libraryAccepts ? "accepts" : `refuses (${problems.join("; ")})`}, emulator ${kong === undefined ? "accepts" : `refuses (${kong})`}`);
            return true;
          }),
          { numRuns: RUNS, seed: SEED },
        );
      }
      const kinds = [...new Set(disagreements.map((d) => d.replace(/ \{.*?: library/, " …: library").replace(/\(schema violation \(.*/s, "(schema violation …)").slice(0, 260)))];
      if (kinds.length > 0) process.stdout.write(`${disagreements.slice(0, 12).join("\n")}\n`);
      expect(kinds).toEqual([]);
    });
  }
  it("prints the counts", () => {
    process.stdout.write(
      `differential, every plugin: ${tally.plugins} plugins at their targets, ${tally.cases} configurations: the emulator accepted ${tally.accepted} and refused ${tally.rejected}, the library agreed on all but ${tally.leftToKong} left to Kong (${LEFT_TO_KONG.map((d) => d.id).join(", ")})\n`,
    );
    expect(tally.cases).toBeGreaterThan(0);
  });
});
