/**
 * Trust: the server URL is where plugins are written, never part of what deletes or re-creates
 * them. A mistyped URL fails the apply and the corrected one converges with no state surgery;
 * respellings of one URL change nothing in Kong; changing the URL to another Kong writes the plugins
 * there with the same ids and leaves the first Kong alone.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type KongGatewayProviderProps } from "../../src/index.js";
import { KongEmulator, type KongPluginEntity } from "../../src/testing/index.js";
import { expectExit } from "../support/e2e.js";
import { AppDir, outputOf } from "./support/app.js";
import { size, TERRAFORM_VERSION } from "./support/mode.js";
import { n, record, seconds, type ResultRow } from "./support/results.js";

const PLUGINS = size(5, 20);
const TOKEN = "kpat_serverurl_R5tY7uI9oP1aS3dF6gH8";
/** bounds the mistyped apply, whose connection refusals are retried until the deadline */
const CONNECTION: KongGatewayProviderProps = { requestTimeoutMs: 2000, deadlineMs: 3000 };
const ROUTES = Array.from({ length: PLUGINS }, (_, i) => `5e7d1c2b-3a4f-4b6c-8d9e-${String(i).padStart(12, "0")}`);

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability server URL runs need the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`${PLUGINS} plugins and their server URL, through terraform ${TERRAFORM_VERSION}`, () => {
  let k1: KongEmulator;
  let k2: KongEmulator;
  let app: AppDir;
  const rows: ResultRow[] = [];
  const figures: Record<string, string | number> = {};

  beforeAll(async () => {
    k1 = await KongEmulator.start({ adminToken: TOKEN });
    k2 = await KongEmulator.start({ adminToken: TOKEN });
    for (const id of ROUTES) for (const kong of [k1, k2]) kong.addRoute({ id });
    app = new AppDir("kong", { KONG_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    app?.dispose();
    await k1?.stop();
    await k2?.stop();
  });

  const load = (serverUrl: string) =>
    app.load({ ...CONNECTION, serverUrl }, (stack) => {
      for (let i = 0; i < PLUGINS; i++) new PluginSession(stack, `session${i}`, { route: { id: ROUTES[i]! }, config: { cookieName: `sid-${i}` } });
    });
  const localhost = () => `http://localhost:${k1.port}`;
  /** Kong's plugins by id, as JSON: what must not change */
  const snapshot = (kong: KongEmulator) => new Map(kong.plugins().map((p) => [p.id, JSON.stringify(p)]));
  const deletes = (kong: KongEmulator) => kong.requests.filter((r) => r.method === "DELETE").length;
  const puts = (kong: KongEmulator) => kong.requests.filter((r) => r.method === "PUT").length;
  const clear = () => [k1, k2].forEach((k) => k.clearRequests());
  const expectPlugins = (kong: KongEmulator): KongPluginEntity[] => {
    const plugins = kong.plugins();
    expect(plugins).toHaveLength(PLUGINS);
    expect(new Set(plugins.map((p) => p.config.cookie_name))).toEqual(new Set(ROUTES.map((_, i) => `sid-${i}`)));
    return plugins;
  };
  let k1Plugins: Map<string, string>;

  it("applies to K1", async () => {
    load(localhost());
    const applied = expectExit(await app.apply(), 0, "apply to K1");
    expectPlugins(k1);
    expectExit(await app.plan(), 0, "plan after apply to K1");
    k1Plugins = snapshot(k1);
    figures["first apply to K1"] = seconds(applied.durationMs);
  });

  it("fails when the URL is mistyped (a closed port), K1 untouched; once corrected, converges with no state surgery", async () => {
    const port = await closedPort();
    load(`http://localhost:${port}`);
    clear();
    const failed = await app.apply();
    const output = outputOf(failed);
    expect(failed.exitCode).toBe(1);
    const errors = output.match(/\(local-exec\): kong: error KONG_[A-Z_]+: .*/g) ?? [];
    expect(errors).toHaveLength(PLUGINS);
    // connection refusals are retried until the deadline, then one clear line per plugin
    for (const line of errors) {
      expect(line).toMatch(
        new RegExp(`kong: error KONG_DEADLINE_EXCEEDED: gave up on GET /plugins/[0-9a-f-]{36} at http://localhost:${port} after the deadline of 3000 ms \\(\\d+ attempts, last: ECONNREFUSED\\)`),
      );
    }
    expect(output).not.toMatch(/kong: (deleted|created|updated)/);
    expect(k1.requests).toEqual([]);
    expect(snapshot(k1)).toEqual(k1Plugins);
    rows.push({
      tried: `serverUrl mistyped (a closed port) on a stack of ${PLUGINS} plugins applied to K1`,
      times: "1 apply",
      held: `exit 1 in ${seconds(failed.durationMs)}; ${PLUGINS} errors, one per plugin (KONG_DEADLINE_EXCEEDED after retrying ECONNREFUSED for deadlineMs); no request reached K1 (no DELETE); K1's plugins identical as JSON`,
    });

    load(localhost());
    clear();
    const fixed = expectExit(await app.apply(), 0, "apply with the URL corrected");
    expect(deletes(k1)).toBe(0);
    const unchanged = outputOf(fixed).match(/kong: session plugin \S+ unchanged/g) ?? [];
    const written = puts(k1);
    expectExit(await app.plan(), 0, "plan after the URL was corrected");
    const now = expectPlugins(k1);
    for (const plugin of now) {
      const before = JSON.parse(k1Plugins.get(plugin.id)!) as KongPluginEntity;
      expect(plugin.config.secret).toBe(before.config.secret);
      expect(plugin.created_at).toBe(before.created_at);
    }
    rows.push({
      tried: "serverUrl corrected, `terraform apply` with no state surgery (no `-replace`, no `state rm`)",
      times: "1 apply + 1 plan",
      held: `exit 0 in ${seconds(fixed.durationMs)}; ${unchanged.length} of ${PLUGINS} plugins reported unchanged, ${n(written)} PUTs, no DELETE; secrets and created_at kept; next plan empty`,
    });
    k1Plugins = snapshot(k1);
  });

  it("respellings of K1's URL: no DELETE, no new secret, plan empty after each", async () => {
    const spellings = [
      { url: `http://127.0.0.1:${k1.port}`, what: "localhost → 127.0.0.1" },
      { url: `http://127.0.0.1:${k1.port}/`, what: "trailing slash" },
      { url: `HTTP://LOCALHOST:${k1.port}`, what: "upper-case scheme and host (back to localhost)" },
      { url: `http://localhost:${k1.port}//`, what: "two trailing slashes" },
    ];
    const results: string[] = [];
    for (const spelling of spellings) {
      load(spelling.url);
      const planned = await app.plan();
      expect([0, 2]).toContain(planned.exitCode);
      clear();
      const applied = expectExit(await app.apply(), 0, `apply with ${spelling.url}`);
      expect(deletes(k1), spelling.what).toBe(0);
      expect(deletes(k2)).toBe(0);
      const written = puts(k1);
      expectExit(await app.plan(), 0, `plan after ${spelling.url}`);
      for (const plugin of expectPlugins(k1)) {
        const before = JSON.parse(k1Plugins.get(plugin.id)!) as KongPluginEntity;
        expect(plugin.config.secret).toBe(before.config.secret);
        expect(plugin.created_at).toBe(before.created_at);
      }
      results.push(`${spelling.what}: ${planned.exitCode === 0 ? "plan empty before apply (same spelling at synth)" : "config resources replaced"}, ${n(written)} PUTs, apply ${seconds(applied.durationMs)}`);
    }
    // spellings the library writes one way change nothing at all
    rows.push({
      tried: `serverUrl respelled 4 times: ${spellings.map((s) => `\`${s.url.replace(String(k1.port), "<port>")}\``).join(", ")}`,
      times: `4 applies + 8 plans`,
      held: `after each: no DELETE, same secrets and created_at, next plan empty (${results.join("; ")})`,
    });
    expect(results.filter((r) => r.includes("plan empty before apply"))).toHaveLength(2);
    k1Plugins = snapshot(k1);
  });

  it("moves from K1 to K2: same ids on K2, K1 untouched; destroy deletes from K2 only", async () => {
    const ids = [...k1Plugins.keys()].sort();
    load(k2.url);
    clear();
    const moved = expectExit(await app.apply(), 0, "apply with serverUrl K2");
    expect(k1.requests).toEqual([]);
    expect(snapshot(k1)).toEqual(k1Plugins);
    expect(expectPlugins(k2).map((p) => p.id).sort()).toEqual(ids);
    expect(deletes(k2)).toBe(0);
    expectExit(await app.plan(), 0, "plan after the move");
    rows.push({
      tried: `serverUrl changed from K1 to K2 (another emulator holding the same routes), ${PLUGINS} plugins`,
      times: "1 apply + 1 plan",
      held: `exit 0 in ${seconds(moved.durationMs)}; ${PLUGINS} plugins on K2 with the same ids; no request reached K1 (its plugins identical as JSON); next plan empty`,
    });

    clear();
    const destroyed = expectExit(await app.destroy(), 0, "destroy after the move");
    expect(k2.plugins()).toEqual([]);
    expect(deletes(k2)).toBe(PLUGINS);
    expect(k1.requests).toEqual([]);
    expect(snapshot(k1)).toEqual(k1Plugins);
    rows.push({
      tried: "`terraform destroy` after the move",
      times: "1 destroy",
      held: `exit 0 in ${seconds(destroyed.durationMs)}; ${PLUGINS} DELETEs at K2, K2 empty; no request reached K1, its ${PLUGINS} plugins still there`,
    });
    figures["connection settings"] = `requestTimeoutMs ${CONNECTION.requestTimeoutMs}, deadlineMs ${CONNECTION.deadlineMs} (bounds the mistyped apply)`;
    record({ id: "trust-server-url", rows, figures });
  });
});
