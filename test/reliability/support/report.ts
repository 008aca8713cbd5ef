/**
 * docs/RELIABILITY.md as a function of the recorded results (test/reliability/results/*.json): the
 * manifest of scenarios, the checks that make a stale result fail CI, and the rendering. Free of
 * vitest, so `scripts/reliability-report.ts` uses it too.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const RESULTS_DIR = path.join(ROOT, "test", "reliability", "results");
export const DOC = path.join(ROOT, "docs", "RELIABILITY.md");
export const RUN_FILE = path.join(RESULTS_DIR, "run.json");

/** One line of a table: what was tried, how many times, what held. */
export interface ResultRow {
  readonly tried: string;
  readonly times: string;
  readonly held: string;
}

/** What one scenario measured. */
export interface ScenarioResult {
  /** file name under results/ and key in the manifest */
  readonly id: string;
  readonly rows: readonly ResultRow[];
  /** measured numbers or facts shown under the table (name → value) */
  readonly figures?: Readonly<Record<string, string | number>>;
}

/** A result as stored: with the run that measured it and the sources that measured it. */
export interface StoredResult extends ScenarioResult {
  readonly runId: string;
  readonly sources: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
}

/** The machine and versions of the full run. */
export interface RunInfo {
  readonly runId: string;
  readonly date: string;
  readonly machine: string;
  readonly node: string;
  readonly terraform: string;
  readonly commit: string;
  readonly durationS: number;
}

/** The document's sections, in order, and the scenarios each shows. */
export const MANIFEST: ReadonlyArray<{ readonly title: string; readonly text: string; readonly scenarios: ReadonlyArray<{ readonly id: string; readonly title: string; readonly source: string }> }> = [
  {
    title: "Faults",
    text: "The emulator injects faults into a real `terraform apply`/`destroy` of many plugins; the apply-time program retries transient failures (429 with `Retry-After`, 502, 503, 504, connection resets, answers slower than `requestTimeoutMs`) with backoff within `deadlineMs`. Every write is an idempotent `PUT` or `DELETE`, so a retried request whose first attempt was processed (a delayed answer) does no harm. Each scenario through terraform names its layout: `sync` (the default, one process per apply) or `per-resource` (a process per plugin); the sync layout's hanging-Kong and rejected-plugin runs are end-to-end tests (`test/e2e/sync-trust.e2e.test.ts`), not measured here.",
    scenarios: [
      { id: "faults-random", title: "30% of requests fail at random (sync layout)", source: "test/reliability/faults.test.ts" },
      { id: "faults-convergence", title: "Repeated applies through 30% random faults, retries bounded by the deadline alone (terraform runs: sync layout)", source: "test/reliability/convergence.test.ts" },
      { id: "faults-hang-program", title: "A Kong that accepts and never answers: the program alone", source: "test/reliability/hang.test.ts" },
      { id: "faults-hang-terraform", title: "A Kong that accepts and never answers: through terraform (per-resource layout)", source: "test/reliability/hang.test.ts" },
      { id: "faults-one-rejected", title: "Kong rejects one plugin of many (per-resource layout)", source: "test/reliability/reject.test.ts" },
    ],
  },
  {
    title: "Trust: no plugin lost, taken over or leaked",
    text: "What the trust round found, through the real `terraform` (and the CLI and the apply-time program as Terraform runs them) against emulators whose request logs show every request: two apps whose stacks and constructs have the same names on one Kong, a server URL mistyped, respelled and moved to another Kong, and secrets long and numerous enough to break pattern-based redaction. The sync layout's two apps named alike are an end-to-end test (`test/e2e/sync-trust.e2e.test.ts`), not measured here.",
    scenarios: [
      { id: "trust-takeover", title: "Two apps named alike on one Kong (per-resource layout)", source: "test/reliability/takeover.test.ts" },
      { id: "trust-server-url", title: "The server URL mistyped, respelled and moved to another Kong (per-resource layout)", source: "test/reliability/server-url.test.ts" },
      { id: "trust-redaction", title: "Redaction of very long and very many secrets", source: "test/reliability/redaction-limits.test.ts" },
    ],
  },
  {
    title: "Hostile input",
    text: "Generated configurations (fast-check) against two independent validators, strings built to escape through a real `terraform apply`, and answers no Kong would give.",
    scenarios: [
      { id: "hostile-differential", title: "Differential: the library's validators against the Kong-faithful validator", source: "test/reliability/differential.test.ts" },
      { id: "hostile-breakout", title: "Strings that try to break out (per-resource layout)", source: "test/reliability/breakout.test.ts" },
      { id: "hostile-malformed", title: "Malformed answers from the server", source: "test/reliability/malformed.test.ts" },
    ],
  },
  {
    title: "Secrets",
    text: "The admin token (`KONG_ADMIN_TOKEN`) and a configured session secret, scanned for with their real values in every output: as they are, JSON-escaped, URL-encoded, and by their first 12 characters (a truncated message would still leak).",
    scenarios: [
      { id: "secrets", title: "Where the token and the secret never appear", source: "test/reliability/secrets.test.ts" },
      { id: "secrets-tls", title: "TLS with a self-signed certificate, through terraform (per-resource layout)", source: "test/reliability/tls.test.ts" },
    ],
  },
  {
    title: "Load",
    text: "One stack, many plugins, Terraform's default parallelism (10), against the emulator on the same machine (so the times include the emulator's share of the 2 cores).",
    scenarios: [{ id: "load", title: "Many PluginSessions in one stack (per-resource layout)", source: "test/reliability/load.test.ts" }],
  },
];

export function sha256Of(file: string): string {
  return createHash("sha256").update(readFileSync(path.join(ROOT, file))).digest("hex");
}

/** The recorded results by id (missing ones absent). */
export function loadResults(dir = RESULTS_DIR): Map<string, StoredResult> {
  const results = new Map<string, StoredResult>();
  if (!existsSync(dir)) return results;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "run.json")) {
    const result = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as StoredResult;
    results.set(result.id, result);
  }
  return results;
}

export function loadRun(file = RUN_FILE): RunInfo | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RunInfo) : undefined;
}

/**
 * Why the recorded results cannot be rendered as they are: a scenario missing, a result from
 * another run (its test failed in the last full run), or a test changed since it measured.
 */
export function problems(results: ReadonlyMap<string, StoredResult>, run: RunInfo | undefined): string[] {
  const found: string[] = [];
  if (!run) return ["no full run recorded (test/reliability/results/run.json): run `npm run test:full`"];
  for (const { scenarios } of MANIFEST) {
    for (const scenario of scenarios) {
      const result = results.get(scenario.id);
      if (!result) {
        found.push(`${scenario.id}: no result recorded: run \`npm run test:full\``);
        continue;
      }
      if (result.runId !== run.runId) found.push(`${scenario.id}: recorded by run ${result.runId}, not by the last full run ${run.runId} (did its test fail?)`);
      for (const source of result.sources) {
        if (!existsSync(path.join(ROOT, source.path))) found.push(`${scenario.id}: ${source.path} no longer exists`);
        else if (sha256Of(source.path) !== source.sha256) found.push(`${scenario.id}: ${source.path} changed since it was measured: run \`npm run test:full\``);
      }
    }
  }
  const known = new Set(MANIFEST.flatMap((s) => s.scenarios.map((x) => x.id)));
  for (const id of results.keys()) if (!known.has(id)) found.push(`${id}: recorded but not in the manifest of test/reliability/support/report.ts`);
  return found;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The whole document. */
export function render(results: ReadonlyMap<string, StoredResult>, run: RunInfo): string {
  const out: string[] = [];
  out.push(
    "# Reliability and security: measured results",
    "",
    "<!-- Generated by `npm run test:full` (scripts/reliability-report.ts) from test/reliability/results/*.json.",
    "     Do not edit: test/reliability/report.test.ts fails CI when this file differs from what the recorded",
    "     results render, or when a test changed after it measured. -->",
    "",
    "Each table says what was tried, how many times, and what held. The figures come from one run of",
    "`npm run test:full` on the machine below; every row is also asserted, at reduced sizes, by the same",
    "tests in every CI run (`npm test`), so a claim here that stops holding fails CI.",
    "",
    "| run | |",
    "|---|---|",
    `| date | ${run.date} |`,
    `| machine | ${cell(run.machine)} |`,
    `| node | ${run.node} |`,
    `| terraform | ${run.terraform} (backend \`terraform_data\`) |`,
    `| commit | ${run.commit} |`,
    `| duration of the full run | ${Math.round(run.durationS)} s |`,
    "",
    `To reproduce: \`npm run test:full\` (about ${Math.max(1, Math.round(run.durationS / 60))} minutes here, the duration above). CI sizes: 50 plugins under`,
    "random faults (full: 100), 2 runs of 20 plugins through faults (full: 20 runs of 100), 4,000 generated",
    "cases per validator pair (full: 25,000), 100 plugins of load (full: 500), 5 plugins moved between server",
    "URLs (full: 20), 30 plugins with long secrets for the CLI (full: 80). All traffic goes to 127.0.0.1. Wall",
    "times are what this run measured on a shared 2-core machine (the emulator and Terraform on the same cores);",
    "the counts and what held do not depend on it.",
    "",
  );
  for (const section of MANIFEST) {
    out.push(`## ${section.title}`, "", section.text, "");
    for (const scenario of section.scenarios) {
      const result = results.get(scenario.id)!;
      out.push(`### ${scenario.title}`, "", `Test: \`${scenario.source}\``, "", "| tried | how many | what held |", "|---|---|---|");
      for (const row of result.rows) out.push(`| ${cell(row.tried)} | ${cell(row.times)} | ${cell(row.held)} |`);
      out.push("");
      const figures = Object.entries(result.figures ?? {});
      if (figures.length > 0) {
        for (const [name, value] of figures) out.push(`- ${name}: ${typeof value === "number" ? value.toLocaleString("en-US") : value}`);
        out.push("");
      }
    }
  }
  out.push(...STATIC_TAIL);
  return `${out.join("\n").trimEnd()}\n`;
}

/** What the tests found and what they do not show; part of the rendering, so it is checked too. */
const STATIC_TAIL = [
  "## Deliberate differences from Kong",
  "",
  "The differential test excludes these explicitly (each case is counted under its kind in the table above,",
  "never filtered silently); every other disagreement fails it:",
  "",
  "1. **Negative or non-finite timeouts** (`idling_timeout`, `rolling_timeout`, `absolute_timeout`, `stale_ttl`,",
  "   `remember_rolling_timeout`, `remember_absolute_timeout`): Kong has no numeric bounds and accepts negatives;",
  "   this library rejects them at synth (`expected a finite number that is not negative`). JSON cannot carry",
  "   NaN or Infinity, so only negatives reach the comparison.",
  "2. **Keys other than `id` in `route`/`service`**: Kong ignores them next to a valid id, and without one looks",
  "   the entity up by a unique field (a route's name) in its database; the library references by id only and",
  "   reports the key as an unknown field.",
  "3. **`updated_at` that is not an integer**: Kong does not validate `updated_at` and overwrites it on every write;",
  "   the library requires an integer.",
  "4. **Timestamps beyond 2^53**: Kong's `integer` is any integral number; the library's are safe integers.",
  "5. **`[]` for a record** (`config: []`): Lua has one empty table for `[]` and `{}`; the library's JSON types",
  "   are distinct (and its TypeScript types rule it out).",
  "",
  "## Bugs these tests found, and the fixes",
  "",
  "| found by | bug | fix |",
  "|---|---|---|",
  "| malformed answers | a delete against a server answering `404` with an HTML page (a web server, a proxy, Kong Manager) reported the plugin \"already absent\" and exited 0: `terraform destroy` succeeded and left the plugin in Kong; an apply took the same page for \"no plugin yet\" and went on to write | `src/runtime/client.ts`: the clear `expected JSON but got an HTML page` error (since the trust round, only Kong's own JSON 404 means \"no such plugin\": see below) |",
  "| break-out strings | a configuration whose request is larger than 128 KiB (long strings) passed synth and failed at apply with `fork/exec /bin/sh: argument list too long` (the request travels in one environment variable) | `src/plugin-session.ts`: synth rejects it with a message naming the limit |",
  "| differential | `condition` of at most 1,024 characters but more than 1,024 bytes (non-ASCII): the library and the emulator disagreed, and the first fix counted bytes, as open-source Kong's `len_max` does; `condition` exists only in Kong Enterprise, whose published schema (`maxLength: 1024`) and official provider (`UTF8LengthAtMost(1024)`) count characters | `src/schema/plugin-schema.ts` and the emulator's `src/testing/kong-schema.ts`: both count characters |",
  "| differential | `created_at` of 0 or below passed the library; Kong's `timestamp` rule wants more than 0 (`expected a valid timestamp`) | `src/schema/plugin-schema.ts` |",
  "| differential | a string with a lone UTF-16 surrogate passed the library, but Kong's JSON decoder refuses the whole body and Terraform replaces it with U+FFFD | `src/schema/plugin-schema.ts`: rejected at synth; `src/testing/emulator.ts`: the emulator refuses such a body like Kong (`Cannot parse JSON body`) |",
  "| differential | the emulator required `partials[].id`; Kong does not (a partial may be linked by name: Kong/terraform-provider-konnect#440 removed the same wrong `required`) | `src/testing/kong-schema.ts` |",
  "| differential (25,000 cases) | an empty list given where a scalar belongs (`enabled: []`, `config.cookieSecure: []`, `createdAt: []`) was dropped as if unset, so synth accepted what Kong rejects (`expected a boolean`) | `src/schema/to-kong.ts`: an empty list is always kept as `[]`, a value in Kong (rejected where a scalar belongs, stored as given in a list field) |",
  "| secrets | a literal session secret that also appeared in another invalid field (a tag, a cookie name) was printed in the `PluginSessionValidationError` message | `src/schema/index.ts`: issue values holding the configured secret are `<redacted>` |",
  "| trust round (`test/reliability/takeover.test.ts`) | two apps with their own states that name their stack and construct alike derive the same plugin id: the second app's apply `PUT` its plugin over the first one's (route and config replaced) and its `terraform destroy` deleted it, while the first app's next plan stayed empty | `src/runtime/ownership.ts`, `src/runtime/actions.ts`: each plugin carries an owner tag (its identity resource's random id); a plugin with another stack's tag is neither overwritten (`KONG_OWNERSHIP_CONFLICT`, nothing written) nor deleted (\"left alone\"), unless the construct's `id` prop names it (adoption, with a warning); `src/kong-gateway-provider.ts`: `idNamespace` |",
  "| trust round (`test/reliability/server-url.test.ts`) | the server URL was part of each plugin's identity: a respelling (`127.0.0.1` → `localhost`) deleted and re-created every plugin; a mistyped URL deleted every plugin from the right Kong, then failed, and every later apply failed too (the identity's destroy-time provisioner kept the mistyped URL) until the state was edited | `src/plugin-session.ts`: the identity resource ignores changes of its triggers, the URL only says where to write, and nothing is deleted when it changes; `src/runtime/server-url.ts`: one spelling per URL at synth |",
  "| trust round (`test/reliability/redaction-limits.test.ts`) | redaction built one `RegExp` of every known secret form: one live plugin with a 3,700-character CJK secret made it too large, and `import --all` exited 1 printing `error: Invalid regular expression: /…/g: Regular expression too large`, the pattern holding the secret and the admin token in clear | `src/runtime/log.ts`: plain-text search that never throws; a text it cannot check is withheld |",
  "| trust round (`test/e2e/proxy-404.e2e.test.ts`) | a `404` that is not Kong's (`404 page not found` in text from a proxy in front of the Admin API, JSON of another API) counted as \"no such plugin\": a delete exited 0 (\"already absent\") and Terraform forgot a plugin that stayed in Kong | `src/runtime/client.ts`: only Kong's own `{\"message\":\"Not found\"}` means absent; any other 404 fails with `KONG_INVALID_RESPONSE` |",
  "| trust round (`test/e2e/reaper-scale.e2e.test.ts`) | the reaper kept the stack's whole plugin list in one trigger and one environment variable: at 97 bytes per plugin (default URL), about 1,350 plugins passed Linux's 128 KiB per variable and the reaper's provisioner failed with `argument list too long` | `src/internal/reaper-list.ts`: the lists in chunks of one variable each, under 128 KiB, their sizes checked at synth |",
  "| trust round (`test/e2e/secrets-output.e2e.test.ts`) | the session secret, a literal or a sensitive variable's value, was in the config resource's triggers, which `TF_LOG=trace` writes to Terraform's log | `src/plugin-session.ts`: the secret travels only in the apply provisioner's environment (base64, `sensitive()`); the triggers hold sha256(plugin id, secret) |",
  "| trust round (`test/reliability/convergence.test.ts`) | `maxRetries` defaulted to 5: a request gave up after 6 attempts however much of `deadlineMs` was left (under 30% random faults, 0.3^6: about 1 request in 1,400; the fault run sets `maxRetries: 12`), and a reap shared one deadline among all the plugins it removed | `src/runtime/transport.ts`: transient failures retried until `deadlineMs` (60 s) with no count unless `maxRetries` is set; `src/runtime/actions.ts`: a reap restarts the deadline for each removed plugin |",
  "",
  "## What these results do not show",
  "",
  "- Kong itself: every run is against the offline emulator, whose schema and error model follow Kong's",
  "  source (`kong/db/schema/*`, `kong/plugins/session/schema.lua`). Kong Enterprise's source is not public:",
  "  `ordering`, `partials`, `condition`, `config.bind` follow the emulator's model of them (Kong's published Admin API specification).",
  "- `null_resource`: its provider (hashicorp/null) cannot be downloaded here; all runs use `terraform_data`.",
  "- Other platforms: the 128 KiB limit is Linux's; Windows limits one environment variable to 32,767",
  "  characters, so a request between those sizes passes synth and fails at apply there.",
  "- A whole `route`/`service` object given as one reference is re-validated at apply by the library's",
  "  strict schema (difference 2), which rejects keys Kong would ignore.",
  "- The emulator's random fault mode answers 429 without `Retry-After`; the fault tests add `Retry-After: 1`",
  "  to those answers (test/reliability/support/faults.ts), as Kong's rate limiting sends it.",
  "- Faults are injected per request, independently; correlated outages longer than `deadlineMs` fail the",
  "  apply (by design, with `KONG_DEADLINE_EXCEEDED`) and converge on the next apply.",
];
