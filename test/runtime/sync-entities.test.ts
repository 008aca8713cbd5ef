/**
 * `sync` and `teardown` with Kong's core entities, against the emulator over HTTP, from desired sets
 * the constructs synthesize: parents written before children and deleted after them, one PUT for a
 * change of one entity and none for an unchanged one, removal from the code deletes, nothing of
 * another stack or of nobody written or deleted, secrets never printed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack } from "cdktf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Consumer, KeyAuth, KongGatewayProvider, PluginKeyAuth, PluginRateLimiting, Route, Service, Target, Upstream } from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { run } from "../../src/runtime/main.js";
import { KongEmulator } from "../../src/testing/index.js";
import { desiredSet } from "../support/synth.js";

const OWNER = "0b7e4a52-9d1c-4f3e-8a6b-2c5d7e9f1a3b";
const OTHER_OWNER = "6d2c8e4a-1b3f-4a5d-9e7c-0f2a4b6c8d1e";
const TOKEN = "kpat_Entities7bQx2Mn5WcR8yLm1VbZ3uJk6DsA4h";
const KEY = "mobile-app-key-3f9c2d8e7a1b6c5d4e0f9a8b7c6d5e4f";

let kong: KongEmulator;
let dir: string;
let files = 0;

beforeAll(async () => {
  kong = await KongEmulator.start({ version: "3.9.1", edition: "community", adminToken: TOKEN });
  dir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-sync-entities-"));
});
afterAll(() => kong.stop());
beforeEach(() => {
  kong.reset();
  kong.clearRequests();
});

interface Gateway {
  readonly paths?: string[];
  readonly withOrders?: boolean;
  readonly targets?: string[];
}

/** The desired set of a small gateway, synthesized by the constructs. */
function gateway(options: Gateway = {}) {
  return desiredSet((app) => {
    const stack = new TerraformStack(app, "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, edition: "oss", kongVersion: "3.9" });
    const consumer = new Consumer(stack, "mobile-app", { username: "mobile-app" });
    new KeyAuth(stack, "mobile-app-key", { consumer, key: KEY });
    if (options.withOrders !== false) {
      const orders = new Service(stack, "orders", { name: "orders", url: "http://orders.internal:8080/v1" });
      const route = new Route(stack, "orders-api", { service: orders, name: "orders-api", paths: options.paths ?? ["/orders"] });
      new PluginKeyAuth(stack, "auth", { route, config: { hideCredentials: true } });
      new PluginRateLimiting(stack, "limits", { service: orders, config: { minute: 5, policy: "local" } });
    }
    if (options.targets) {
      const upstream = new Upstream(stack, "pool", { name: "orders-pool" });
      for (const target of options.targets) new Target(stack, `target-${target}`, { upstream, target });
    }
    return stack;
  }).request;
}

async function sync(request: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(dir, `desired-${files++}.json`);
  writeFileSync(file, JSON.stringify(request));
  return runProgram(["sync"], { [ENV.sync]: file, [ENV.owner]: OWNER });
}

async function runProgram(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { [ENV.adminToken]: TOKEN, ...env }, { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, random: () => 0.5 });
  return { code, stdout, stderr };
}

const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("/").slice(1, -1).join("/")}`);
const summaries = (stdout: string) => stdout.split("\n").filter((line) => line.includes("sync:")).map((line) => line.replace(/ \(\d+ ms\)/, ""));

describe("sync with entities", () => {
  it("writes parents before children and the plugins last, each entity with the stack's owner tag", async () => {
    const result = await sync(gateway());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(summaries(result.stdout)).toEqual([
      "kong: sync: 4 entities declared: 4 created, 0 updated, 0 unchanged, 0 deleted",
      "kong: sync: 2 plugins declared: 2 created, 0 updated, 0 unchanged, 0 deleted",
    ]);
    expect(writes()).toEqual(["PUT consumers", "PUT services", "PUT routes", "PUT key-auths", "PUT plugins", "PUT plugins"]);
    const [service] = kong.entities("services");
    expect(service).toMatchObject({ name: "orders", protocol: "http", host: "orders.internal", port: 8080, path: "/v1", tags: [`cdktf-kong-gateway:owner=${OWNER}`] });
    expect(kong.entities("routes")[0]).toMatchObject({ name: "orders-api", paths: ["/orders"], service: { id: service!.id } });
    expect(kong.entities("keyauth_credentials")[0]).toMatchObject({ key: KEY, consumer: { id: kong.entities("consumers")[0]!.id } });
    // the credential's key is a secret: never printed
    expect(result.stdout).not.toContain(KEY);
  });

  it("writes nothing when Kong holds the gateway, and one PUT when a route's paths change", async () => {
    await sync(gateway());
    const created = kong.entities("routes")[0]!;
    kong.clearRequests();
    const again = await sync(gateway());
    expect(summaries(again.stdout)).toEqual([
      "kong: sync: 4 entities declared: 0 created, 0 updated, 4 unchanged, 0 deleted",
      "kong: sync: 2 plugins declared: 0 created, 0 updated, 2 unchanged, 0 deleted",
    ]);
    expect(writes()).toEqual([]);

    kong.clearRequests();
    const changed = await sync(gateway({ paths: ["/orders", "/v2/orders"] }));
    expect(writes()).toEqual(["PUT routes"]);
    expect(changed.stdout).toContain(`kong: updated route ${created.id} (default workspace) (paths) in `);
    const route = kong.entities("routes")[0]!;
    expect(route).toMatchObject({ id: created.id, created_at: created.created_at, paths: ["/orders", "/v2/orders"] });
  });

  it("deletes what the code no longer declares, children first", async () => {
    await sync(gateway());
    kong.clearRequests();
    const result = await sync(gateway({ withOrders: false }));
    expect(result.code).toBe(0);
    expect(writes()).toEqual(["DELETE plugins", "DELETE plugins", "DELETE routes", "DELETE services"]);
    expect(kong.entities("services")).toEqual([]);
    expect(kong.entities("routes")).toEqual([]);
    expect(kong.plugins()).toEqual([]);
    expect(kong.entities("consumers")).toHaveLength(1);
  });

  it("takes over nothing: a service of another stack, or of nobody, at a declared id is left alone", async () => {
    const request = gateway();
    const serviceId = request.entities.find((e: any) => e.kind === "services").id;
    const consumerId = request.entities.find((e: any) => e.kind === "consumers").id;
    kong.addService({ id: serviceId, name: "theirs", host: "theirs.internal", tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] } as never);
    await fetch(`${kong.url}/consumers/${consumerId}`, { method: "PUT", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "by-hand" }) });
    const result = await sync(request);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `kong: error KONG_OWNERSHIP_CONFLICT: service ${serviceId} (default workspace) is managed by another stack (tag cdktf-kong-gateway:owner=${OTHER_OWNER}; this stack's is cdktf-kong-gateway:owner=${OWNER}): refusing to overwrite it ("gw/orders"). To take it over on purpose, set the construct's id prop to its id`,
    );
    expect(result.stderr).toContain(`kong: error KONG_OWNERSHIP_CONFLICT: consumer ${consumerId} (default workspace) is not created by this stack (it carries no owner tag): refusing to overwrite it ("gw/mobile-app").`);
    expect(kong.entity("services", serviceId)).toMatchObject({ name: "theirs" });
    expect(kong.entity("consumers", consumerId)).toMatchObject({ username: "by-hand" });
  });

  it("says which name Kong already has, for a service another stack created with the same name", async () => {
    kong.addService({ name: "orders", host: "theirs.internal" } as never);
    const result = await sync(gateway());
    expect(result.code).toBe(1);
    const request = gateway();
    const at = (path: string) => request.entities.find((e: any) => e.path === path)?.id ?? request.plugins.find((p: any) => p.path === path)?.id;
    // what refers to the service is not tried: Kong would refuse it for the same reason
    expect(result.stderr.trim().split("\n")).toEqual([
      `kong: error KONG_UNIQUE_VIOLATION: another service in the default workspace already has name "orders" (PUT /services/${at("gw/orders")}): Kong keeps names unique; choose another one, or adopt that service by its id`,
      `kong: warning: route ${at("gw/orders-api")} ("gw/orders-api") not written: "gw/orders", which it refers to, was not written`,
      `kong: warning: key-auth plugin ${at("gw/auth")} ("gw/auth") not written: "gw/orders-api", which it is scoped to, was not written`,
      `kong: warning: rate-limiting plugin ${at("gw/limits")} ("gw/limits") not written: "gw/orders", which it is scoped to, was not written`,
    ]);
    expect(summaries(result.stdout)).toEqual([
      "kong: sync: 4 entities declared: 2 created, 0 updated, 0 unchanged, 0 deleted, 2 failed",
      "kong: sync: 2 plugins declared: 0 created, 0 updated, 0 unchanged, 0 deleted, 2 failed",
    ]);
  });

  it("writes targets under their upstream and deletes a removed one there", async () => {
    const result = await sync(gateway({ targets: ["10.0.0.1:8080", "10.0.0.2:8080"] }));
    expect(result.stderr).toBe("");
    expect(kong.entities("targets").map((t) => t.target).sort()).toEqual(["10.0.0.1:8080", "10.0.0.2:8080"]);
    const upstream = kong.entities("upstreams")[0]!;
    expect(kong.requests.filter((r) => r.method === "PUT" && r.path.includes("/targets/")).every((r) => r.path.startsWith(`/upstreams/${upstream.id}/targets/`))).toBe(true);
    kong.clearRequests();
    const removed = await sync(gateway({ targets: ["10.0.0.1:8080"] }));
    expect(removed.stderr).toBe("");
    expect(writes()).toEqual([`DELETE upstreams/${upstream.id}/targets`]);
    expect(kong.entities("targets").map((t) => t.target)).toEqual(["10.0.0.1:8080"]);
  });

  it("refuses an invalid entity before it writes anything", async () => {
    const request = gateway();
    request.entities.find((e: any) => e.kind === "routes").payload.paths = ["no-slash"];
    const result = await sync(request);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`kong: error KONG_CDKTF_INVALID_CONFIG: invalid route at "gw/orders-api", 1 problem:\n  - paths[0]: should start with: / (fixed path) or ~/ (regex path), got "no-slash"`);
    expect(writes()).toEqual([]);
  });
});

describe("sync with references by name", () => {
  /** A route of the stack on a service it does not declare, and a plugin on a route it does not declare, both by name. */
  const named = (serviceName = "legacy", routeName = "legacy-api") =>
    desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, edition: "oss", kongVersion: "3.9" });
      new Route(stack, "checkout", { name: "checkout", service: { name: serviceName }, paths: ["/checkout"] });
      new PluginKeyAuth(stack, "auth", { route: { name: routeName }, config: { hideCredentials: true } });
      new PluginRateLimiting(stack, "partner-limits", { consumer: { username: "partner" }, config: { minute: 5, policy: "local" } });
      return stack;
    }).request;

  it("stores the ids of the entities named, looked up once, and writes nothing more on the next apply", async () => {
    const legacy = kong.addService({ name: "legacy", host: "legacy.internal" });
    const legacyRoute = kong.addRoute({ name: "legacy-api", paths: ["/legacy"], service: { id: legacy.id } });
    const created = await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "partner" }) });
    expect(created.status).toBe(201);
    const partner = kong.entities("consumers")[0]!;
    const first = await sync(named());
    expect(first.code).toBe(0);
    expect(kong.entities("routes").find((r) => r.name === "checkout")).toMatchObject({ service: { id: legacy.id } });
    expect(kong.plugins().find((p) => p.name === "key-auth")).toMatchObject({ route: { id: legacyRoute.id } });
    expect(kong.plugins().find((p) => p.name === "rate-limiting")).toMatchObject({ consumer: { id: partner.id } });
    expect(kong.requests.filter((r) => r.method === "GET" && /^\/(services|routes|consumers)\/(legacy|legacy-api|partner)$/.test(r.path)).map((r) => r.path).sort()).toEqual([
      "/consumers/partner",
      "/routes/legacy-api",
      "/services/legacy",
    ]);

    kong.clearRequests();
    const again = await sync(named());
    expect(summaries(again.stdout)).toEqual([
      "kong: sync: 1 entities declared: 0 created, 0 updated, 1 unchanged, 0 deleted",
      "kong: sync: 2 plugins declared: 0 created, 0 updated, 2 unchanged, 0 deleted",
    ]);
    expect(writes()).toEqual([]);
  });

  it("writes nothing when Kong does not hold a name, and says which", async () => {
    kong.addService({ name: "legacy", host: "legacy.internal" });
    const result = await sync(named("legacy", "gone"));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'kong: error KONG_CDKTF_INVALID_CONFIG: nothing was written: consumer "partner", which the rate-limiting plugin at "gw/partner-limits" names (consumer.username), is not in Kong (default workspace): declare it in the stack, or create it before the apply; route "gone", which the key-auth plugin at "gw/auth" names (route.name), is not in Kong (default workspace): declare it in the stack, or create it before the apply',
    );
    expect(writes()).toEqual([]);
  });
});

describe("teardown with entities", () => {
  it("deletes the stack's entities after its plugins, children first, and leaves the others'", async () => {
    await sync(gateway({ targets: ["10.0.0.1:8080"] }));
    const theirs = kong.addService({ name: "theirs", host: "theirs.internal" } as never);
    kong.clearRequests();
    const result = await runProgram(["teardown"], { [ENV.serverUrl]: kong.url, [ENV.owner]: OWNER, [ENV.workspaces]: '[""]' });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const deletes = writes();
    expect(deletes.slice(0, 2)).toEqual(["DELETE plugins", "DELETE plugins"]);
    expect(deletes.indexOf("DELETE routes")).toBeLessThan(deletes.indexOf("DELETE services"));
    expect(deletes.indexOf("DELETE key-auths")).toBeLessThan(deletes.indexOf("DELETE consumers"));
    expect(deletes.findIndex((d) => d.endsWith("/targets"))).toBeLessThan(deletes.indexOf("DELETE upstreams"));
    expect(result.stdout.split("\n").filter((l) => l.includes("teardown:")).map((l) => l.replace(/ \(\d+ ms\)/, ""))).toEqual([
      "kong: teardown: 2 of this stack's plugins deleted",
      "kong: teardown: 6 of this stack's entities deleted",
    ]);
    expect(kong.entities("services").map((s) => s.id)).toEqual([theirs.id]);
    for (const kind of ["routes", "consumers", "keyauth_credentials", "upstreams", "targets"] as const) expect(kong.entities(kind)).toEqual([]);
  });
});
