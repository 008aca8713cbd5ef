/**
 * References by name through the real terraform binary: a route on a service the stack does not
 * declare (`service: { name: "legacy" }`), a plugin on a route the stack declares after it (`route:
 * { name: "checkout" }`) and one on a consumer by username. Kong stores ids: the first apply stores
 * them, the plan after it is empty, a second apply writes nothing, and the destroy deletes what the
 * stack created and leaves the service it only named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginKeyAuth, PluginRateLimiting, Route } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-names-admin-token-5b8e2d";
const STEP_TIMEOUT = 180_000;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end references by name: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: references by name`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let legacy: { id: string };

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1", adminToken: TOKEN });
    legacy = kong.addService({ name: "legacy", host: "legacy.internal" });
    const partner = await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "partner" }) });
    expect(partner.status).toBe(201);
    stack = new E2eStack({ serverUrl: kong.url, edition: "oss", kongVersion: "3.9" }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  const load = () =>
    stack.load((scope) => {
      new PluginKeyAuth(scope, "auth", { route: { name: "checkout" }, config: { hideCredentials: true } });
      new Route(scope, "checkout", { name: "checkout", service: { name: "legacy" }, paths: ["/checkout"] });
      new PluginRateLimiting(scope, "partner-limits", { consumer: { username: "partner" }, config: { minute: 5, policy: "local" } });
    });
  const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("/")[1]}`);

  it(
    "stores the ids of what the names name, and the plan after it is empty",
    async () => {
      load();
      expectExit(await stack.apply(), 0, "apply");
      const route = kong.entities("routes").find((r) => r.name === "checkout")!;
      expect(route.service).toEqual({ id: legacy.id });
      expect(kong.plugins().find((p) => p.name === "key-auth")?.route).toEqual({ id: route.id });
      expect(kong.plugins().find((p) => p.name === "rate-limiting")?.consumer).toEqual({ id: kong.entities("consumers")[0]!.id });
      expectExit(await stack.plan(), 0, "plan after create");
    },
    STEP_TIMEOUT,
  );

  it(
    "writes nothing on the next apply",
    async () => {
      kong.clearRequests();
      load();
      expectExit(await stack.apply(), 0, "second apply");
      expect(writes()).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    "destroys what the stack created and leaves what it only named",
    async () => {
      expectExit(await stack.destroy(), 0, "destroy");
      expect(kong.plugins()).toEqual([]);
      expect(kong.entities("routes")).toEqual([]);
      expect(kong.entities("services").map((s) => s.id)).toEqual([legacy.id]);
      expect(kong.entities("consumers").map((c) => c.username)).toEqual(["partner"]);
    },
    STEP_TIMEOUT,
  );
});
