/**
 * Faults: a real `terraform apply` of many PluginSessions against an emulator that fails 30% of the
 * requests at random converges, and so do a config change of all of them and `terraform destroy`.
 */
import { OWNER_TAG_PREFIX } from "../../src/runtime/ownership.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { KongEmulator, type KongPluginEntity } from "../../src/testing/index.js";
import { E2eStack, expectExit } from "../support/e2e.js";
import { faultsByKind, formatCounts, retriesByReason, retryLines, withRetryAfterOn429 } from "./support/faults.js";
import { size, TERRAFORM_VERSION } from "./support/mode.js";
import { n, record, seconds, type ResultRow } from "./support/results.js";

const PLUGINS = size(50, 100);
const FAULT_RATE = 0.3;
const SEED = 20260701;
const DELAY_MS = 1500;
const REQUEST_TIMEOUT_MS = 500;
const MAX_RETRIES = 12;
const DEADLINE_MS = 120_000;
const TOKEN = "kpat_faults_Q4mZ8rT2wX6yB1nC5vK9";

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability fault runs need the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`${PLUGINS} plugins through terraform ${TERRAFORM_VERSION} with ${FAULT_RATE * 100}% random faults`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let routes: string[];
  const rows: ResultRow[] = [];
  const figures: Record<string, string | number> = {};

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN });
    // Kong allows one session plugin per route: one route each
    routes = Array.from({ length: PLUGINS }, () => kong.addRoute().id);
    stack = new E2eStack(
      { backend: "terraform_data", serverUrl: kong.url, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: MAX_RETRIES, deadlineMs: DEADLINE_MS },
      { KONG_ADMIN_TOKEN: TOKEN },
    );
    // terraform init reads no Kong: load and init before the faults start
    load((i) => ({ config: { cookieName: `sid-${i}` } }));
    await stack.init();
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  function load(props: (i: number) => PluginSessionProps) {
    stack.load((s) => {
      for (let i = 0; i < PLUGINS; i++) new PluginSession(s, `session${i}`, { route: { id: routes[i]! }, ...props(i) });
    });
  }

  function startFaults(seed: number) {
    kong.clearRequests();
    kong.faults.random({ rate: FAULT_RATE, seed, kinds: ["429", "502", "503", "504", "reset", "delay"], delayMs: DELAY_MS });
    withRetryAfterOn429(kong, 1);
  }

  /** Stops the faults and tells what they did during one terraform command. */
  function stopFaults(output: string) {
    kong.faults.clear();
    const stats = kong.stats();
    const retries = retryLines(output);
    // every injected fault was retried; a retry beyond that is an unfaulted request slower than the timeout
    expect(retries.length).toBeGreaterThanOrEqual(stats.faultsInjected);
    return {
      requests: stats.requests,
      faults: stats.faultsInjected,
      byKind: faultsByKind(kong.requests),
      retries: retries.length,
      retryReasons: retriesByReason(retries),
    };
  }

  /** Every plugin exactly once, each with its desired config. */
  function expectPlugins(desired: (i: number) => Partial<KongPluginEntity["config"]>): KongPluginEntity[] {
    const plugins = kong.plugins();
    expect(plugins).toHaveLength(PLUGINS);
    expect(new Set(plugins.map((p) => p.id)).size).toBe(PLUGINS);
    const byCookie = new Map(plugins.map((p) => [p.config.cookie_name as string, p]));
    for (let i = 0; i < PLUGINS; i++) {
      const want = desired(i);
      const plugin = byCookie.get(want.cookie_name as string);
      expect(plugin, `plugin ${i}`).toBeDefined();
      expect(plugin!.config).toMatchObject(want);
    }
    return plugins;
  }

  const v1 = (i: number): PluginSessionProps => ({ config: { cookieName: `sid-${i}`, rollingTimeout: 1000 + i }, tags: [`p${i}`] });
  const v2 = (i: number): PluginSessionProps => ({
    config: { cookieName: `sid2-${i}`, rollingTimeout: 2000 + i, cookieSameSite: "Lax", logoutMethods: ["POST"] },
    tags: [`p${i}`, "v2"],
  });

  const phases: Array<{ name: string; stats: ReturnType<typeof stopFaults>; ms: number }> = [];

  it("apply: every plugin is created exactly once with its config, and the next plan is empty", async () => {
    load(v1);
    startFaults(SEED);
    const applied = await stack.apply();
    const stats = stopFaults(applied.stdout + applied.stderr);
    expectExit(applied, 0, "apply under faults");
    expectExit(await stack.plan(), 0, "plan after apply under faults");
    const plugins = expectPlugins((i) => ({ cookie_name: `sid-${i}`, rolling_timeout: 1000 + i }));
    // the user's one tag, and the owner tag of this stack, once
    expect(plugins.every((p) => p.tags?.length === 2 && p.tags[1]!.startsWith(OWNER_TAG_PREFIX))).toBe(true);
    expect(stats.faults).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThan(0);
    phases.push({ name: "apply (create)", stats, ms: applied.durationMs });
  });

  it("config change of every plugin: updated in place, secret kept, next plan empty", async () => {
    const secrets = new Map(kong.plugins().map((p) => [p.id, p.config.secret]));
    const created = new Map(kong.plugins().map((p) => [p.id, p.created_at]));
    load(v2);
    startFaults(SEED + 1);
    const applied = await stack.apply();
    const stats = stopFaults(applied.stdout + applied.stderr);
    expectExit(applied, 0, "config change under faults");
    expectExit(await stack.plan(), 0, "plan after config change under faults");
    const plugins = expectPlugins((i) => ({ cookie_name: `sid2-${i}`, rolling_timeout: 2000 + i, cookie_same_site: "Lax", logout_methods: ["POST"] }));
    for (const p of plugins) {
      expect(secrets.get(p.id)).toBe(p.config.secret);
      expect(created.get(p.id)).toBe(p.created_at);
    }
    // updated in place: the plugins were never deleted
    expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    phases.push({ name: "apply (config change)", stats, ms: applied.durationMs });
  });

  it("destroy: every plugin is deleted", async () => {
    startFaults(SEED + 2);
    const destroyed = await stack.destroy();
    const stats = stopFaults(destroyed.stdout + destroyed.stderr);
    expectExit(destroyed, 0, "destroy under faults");
    expect(kong.plugins()).toEqual([]);
    phases.push({ name: "destroy", stats, ms: destroyed.durationMs });

    for (const phase of phases) {
      const s = phase.stats;
      rows.push({
        tried: `terraform ${phase.name} of ${PLUGINS} PluginSessions, ${FAULT_RATE * 100}% of requests faulted (${formatCounts(s.byKind)})`,
        times: `${n(s.requests)} requests, ${n(s.faults)} faults injected, ${n(s.retries)} retries${s.retries > s.faults ? ` (${s.retries - s.faults} after slow unfaulted answers)` : ""}`,
        held:
          phase.name === "destroy"
            ? `exit 0 in ${seconds(phase.ms)}; no plugin left in Kong`
            : `exit 0 in ${seconds(phase.ms)}; ${PLUGINS} plugins, each once with its desired config${phase.name.includes("change") ? ", secret and created_at kept, no DELETE" : ""}; next plan empty`,
      });
      figures[`${phase.name}: retries by reason`] = formatCounts(s.retryReasons);
    }
    figures["settings"] = `requestTimeoutMs ${REQUEST_TIMEOUT_MS}, maxRetries ${MAX_RETRIES}, deadlineMs ${DEADLINE_MS}, delayed answers ${DELAY_MS} ms, 429 with Retry-After: 1, seed ${SEED}`;
    record({ id: "faults-random", rows, figures });
  });
});
