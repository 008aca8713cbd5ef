/**
 * Retries: transient failures are retried until the deadline (`deadlineMs`, 60 s by default) per
 * plugin, not a fixed number of times. Repeated real `terraform apply` runs of one stack through 30%
 * random faults must every one converge: run 1 creates every plugin, each later run changes the
 * config of every plugin, and a destroy ends the series, all with the default deadline and no
 * `maxRetries`. Two runs of the program alone pin what the series can only show by chance: one
 * request retried far beyond 6 attempts, and a reap whose removed plugins each get a deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { OWNER_TAG_PREFIX } from "../../src/runtime/ownership.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit } from "../support/e2e.js";
import { faultsByKind, formatCounts, retryLines, withRetryAfterOn429, type RetryLine } from "./support/faults.js";
import { size, TERRAFORM_VERSION } from "./support/mode.js";
import { applyEnv, RELIABILITY_OWNER, runProgram } from "./support/program.js";
import { n, record, seconds, type ResultRow } from "./support/results.js";

const RUNS = size(2, 20);
const PLUGINS = size(20, 100);
const FAULT_RATE = 0.3;
const SEED = 20261201;
const DELAY_MS = 1500;
const REQUEST_TIMEOUT_MS = 500;
/** what cdktf-kong-gateway 0.1 gave up after (maxRetries 5) */
const OLD_ATTEMPTS = 6;
const TOKEN = "kpat_convergence_T6yU8iO0pA2sD4fG6hJ8";

const rows: ResultRow[] = [];
const figures: Record<string, string | number> = {};

describe("the program alone: retries bounded by the deadline, not a count", () => {
  let kong: KongEmulator;
  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN });
  });
  afterAll(async () => {
    await kong?.stop();
  });

  it(`an apply whose first request fails ${OLD_ATTEMPTS * 2} times in a row succeeds with the default settings`, async () => {
    const id = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b";
    // Retry-After: 0, so the chain costs no waiting
    kong.faults.failNext(OLD_ATTEMPTS * 2, { status: 429, retryAfterSeconds: 0 });
    const result = await runProgram("apply", applyEnv({ pluginId: id, serverUrl: kong.url, payload: { config: { cookie_name: "sid" } }, token: TOKEN }));
    expect(result.code, result.stderr).toBe(0);
    const retries = retryLines(result.stderr);
    expect(retries).toHaveLength(OLD_ATTEMPTS * 2);
    expect(retries.at(-1)).toMatchObject({ method: "GET", reason: "429", attempt: OLD_ATTEMPTS * 2 + 1 });
    expect(result.stderr).toMatch(/\(attempt 13, waiting 0 ms, \d+ s left before the deadline\)/);
    expect(result.stdout).toMatch(new RegExp(`^kong: created session plugin ${id} \\(default workspace\\) in \\d+ ms\\n$`));
    expect(kong.plugin(id)?.config.cookie_name).toBe("sid");
    rows.push({
      tried: `program apply, default connection settings (no maxRetries, deadlineMs 60000), its first request answered 429 (Retry-After: 0) ${OLD_ATTEMPTS * 2} times in a row`,
      times: "1 run",
      held: `exit 0 in ${seconds(result.ms)} after ${OLD_ATTEMPTS * 2 + 1} attempts of one request (0.1 gave up after ${OLD_ATTEMPTS}); plugin created`,
    });
  });

  it("a reap of 3 removed plugins, each slower than a third of the deadline, deletes all 3", async () => {
    kong.reset();
    const ids = ["8f9a0b1c-2d3e-4f4a-9b5c-6d7e8f9a0b1c", "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", "0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e"];
    for (const id of ids) kong.seedPlugin({ id, name: "session", tags: [`${OWNER_TAG_PREFIX}${RELIABILITY_OWNER}`] });
    const DEADLINE_MS = 2000;
    const ANSWER_MS = 700;
    // every request (a GET and a DELETE per plugin) answered after 700 ms: 1.4 s a plugin, 4.2 s in all
    kong.faults.delayNext(ids.length * 2, ANSWER_MS);
    const result = await runProgram("reap", {
      [`${ENV.reapPrevious}_0`]: JSON.stringify(ids.map((id, i) => [`kong/session${i}`, id, "", RELIABILITY_OWNER])),
      [`${ENV.reapCurrent}_0`]: "[]",
      [ENV.serverUrl]: kong.url,
      [ENV.connection]: JSON.stringify({ requestTimeoutMs: 1500, deadlineMs: DEADLINE_MS }),
      [ENV.adminToken]: TOKEN,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/kong: deleted session plugin/g)).toHaveLength(ids.length);
    expect(kong.plugins()).toEqual([]);
    expect(result.ms).toBeGreaterThan(ids.length * 2 * ANSWER_MS);
    rows.push({
      tried: `program reap of ${ids.length} removed plugins, deadlineMs ${DEADLINE_MS}, every answer ${ANSWER_MS} ms late (${seconds(ids.length * 2 * ANSWER_MS)} of requests in all)`,
      times: "1 run",
      held: `exit 0 in ${seconds(result.ms)}: each removed plugin got its own deadline; all ${ids.length} deleted`,
    });
  });
});

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability convergence runs need the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`${RUNS} terraform runs of ${PLUGINS} plugins through ${FAULT_RATE * 100}% random faults, retries bounded by the default deadline`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let routes: string[];
  let secrets: Map<string, unknown>;
  const runs: Array<{ name: string; ms: number; requests: number; faults: number; retries: RetryLine[]; byKind: Record<string, number> }> = [];

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN });
    routes = Array.from({ length: PLUGINS }, () => kong.addRoute().id);
    // no maxRetries and no deadlineMs: the defaults (as often as 60 s per plugin allow)
    stack = new E2eStack({ backend: "terraform_data", serverUrl: kong.url, requestTimeoutMs: REQUEST_TIMEOUT_MS }, { KONG_ADMIN_TOKEN: TOKEN });
    load(0);
    await stack.init();
  });
  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  const props = (run: number, i: number): PluginSessionProps => ({
    route: { id: routes[i]! },
    config: { cookieName: `sid-${run}-${i}`, rollingTimeout: 1000 * (run + 1) + i },
    tags: [`p${i}`],
  });
  function load(run: number) {
    stack.load((s) => {
      for (let i = 0; i < PLUGINS; i++) new PluginSession(s, `session${i}`, props(run, i));
    });
  }
  function underFaults<T extends { stdout: string; stderr: string; durationMs: number }>(name: string, seed: number, command: () => Promise<T>): Promise<T> {
    kong.clearRequests();
    kong.faults.random({ rate: FAULT_RATE, seed, kinds: ["429", "502", "503", "504", "reset", "delay"], delayMs: DELAY_MS });
    withRetryAfterOn429(kong, 1);
    return command().then((result) => {
      kong.faults.clear();
      const stats = kong.stats();
      const retries = retryLines(result.stdout + result.stderr);
      // every injected fault was retried; more retries are unfaulted answers slower than the timeout
      expect(retries.length).toBeGreaterThanOrEqual(stats.faultsInjected);
      runs.push({ name, ms: result.durationMs, requests: stats.requests, faults: stats.faultsInjected, retries, byKind: faultsByKind(kong.requests) });
      return result;
    });
  }

  for (let run = 0; run < RUNS; run++) {
    const what = run === 0 ? "creates every plugin" : "changes the config of every plugin";
    it(`run ${run + 1} of ${RUNS} ${what}: exit 0, each plugin once with its config, secret kept, next plan empty`, async () => {
      load(run);
      const applied = await underFaults(`run ${run + 1}`, SEED + run, () => stack.apply());
      expectExit(applied, 0, `run ${run + 1} under faults`);
      expectExit(await stack.plan(), 0, `plan after run ${run + 1}`);
      const plugins = kong.plugins();
      expect(plugins).toHaveLength(PLUGINS);
      const byRoute = new Map(plugins.map((p) => [p.route?.id, p]));
      for (let i = 0; i < PLUGINS; i++) {
        const plugin = byRoute.get(routes[i]!);
        expect(plugin?.config, `plugin ${i}`).toMatchObject({ cookie_name: `sid-${run}-${i}`, rolling_timeout: 1000 * (run + 1) + i });
      }
      if (run === 0) secrets = new Map(plugins.map((p) => [p.id, p.config.secret]));
      else {
        for (const p of plugins) expect(p.config.secret).toBe(secrets.get(p.id));
        expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
      }
    });
  }

  it(`destroy under the same faults deletes every plugin; ${RUNS} of ${RUNS} runs converged`, async () => {
    const destroyed = await underFaults("destroy", SEED + RUNS, () => stack.destroy());
    expectExit(destroyed, 0, "destroy under faults");
    expect(kong.plugins()).toEqual([]);
    const applies = runs.filter((r) => r.name !== "destroy");
    expect(applies).toHaveLength(RUNS);

    const all = runs.flatMap((r) => r.retries);
    const longest = Math.max(...all.map((r) => r.attempt));
    const beyondOld = all.filter((r) => r.attempt === OLD_ATTEMPTS + 1).length;
    const sum = (pick: (r: (typeof runs)[number]) => number) => runs.reduce((total, r) => total + pick(r), 0);
    const kinds: Record<string, number> = {};
    for (const r of runs) for (const [kind, count] of Object.entries(r.byKind)) kinds[kind] = (kinds[kind] ?? 0) + count;
    const ms = applies.map((r) => r.ms);
    rows.push({
      tried: `${RUNS} real \`terraform apply\` runs of one stack of ${PLUGINS} PluginSessions (run 1 creates them, each later run changes the config of all ${PLUGINS}), ${FAULT_RATE * 100}% of requests faulted (${formatCounts(kinds)}), then \`terraform destroy\``,
      times: `${n(RUNS)} applies + 1 destroy: ${n(sum((r) => r.requests))} requests, ${n(sum((r) => r.faults))} faults injected, ${n(all.length)} retries`,
      held: `${RUNS} of ${RUNS} applies converged (exit 0, every plugin once with its config, secrets kept, no DELETE, next plan empty) in ${seconds(Math.min(...ms))}–${seconds(Math.max(...ms))} each; destroy exit 0 in ${seconds(destroyed.durationMs)}, Kong empty`,
    });
    figures["longest retry chain"] = `${longest} attempts of one request`;
    figures[`requests that needed more than ${OLD_ATTEMPTS} attempts (0.1 gave up there)`] = beyondOld;
    figures["wall time of the series"] = seconds(sum((r) => r.ms));
    figures["settings"] = `requestTimeoutMs ${REQUEST_TIMEOUT_MS}, deadlineMs and maxRetries unset (60 s per plugin, no count), delayed answers ${DELAY_MS} ms, 429 with Retry-After: 1, seeds ${SEED}–${SEED + RUNS}`;
    record({ id: "faults-convergence", rows, figures });
  });
});
