/**
 * References by name (`route: { name: "checkout" }`, a consumer's `{ username }`), as Kong accepts
 * them: a name the app declares stands for its construct, whether declared before or after the
 * construct that names it; any other is left for the sync to look up at apply.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Consumer, KeyAuth, KongGatewayProvider, PluginKeyAuth, PluginRateLimiting, Route, Service } from "../../src/index.js";
import type { SyncRequest } from "../../src/runtime/contract.js";
import { desiredSet } from "../support/synth.js";

const SERVER = "http://localhost:8001";

function gateway(build: (stack: TerraformStack) => void): SyncRequest {
  return desiredSet((app) => {
    const stack = new TerraformStack(app, "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: SERVER });
    build(stack);
    return stack;
  }).request;
}

const pluginAt = (request: SyncRequest, path: string) => request.plugins.find((p) => p.path === path)!;
const entityAt = (request: SyncRequest, path: string) => request.entities!.find((e) => e.path === path)!;

describe("a reference by name", () => {
  it("to an entity the app declares before becomes its id", () => {
    let route!: Route;
    let service!: Service;
    const request = gateway((stack) => {
      service = new Service(stack, "orders", { name: "orders", url: "http://orders.internal:8080" });
      route = new Route(stack, "checkout", { name: "checkout", service: { name: "orders" }, paths: ["/checkout"] });
      new PluginKeyAuth(stack, "auth", { route: { name: "checkout" } });
    });
    expect(entityAt(request, "gw/checkout").payload.service).toEqual({ id: service.id });
    expect(pluginAt(request, "gw/auth").payload.route).toEqual({ id: route.id });
  });

  it("to an entity the app declares after becomes its id when the stack is written", () => {
    const ids: Record<string, string> = {};
    const request = gateway((stack) => {
      new PluginRateLimiting(stack, "limits", { service: { name: "orders" }, config: { minute: 5 } });
      new Route(stack, "checkout", { name: "checkout", service: { name: "orders" }, paths: ["/checkout"] });
      ids.service = new Service(stack, "orders", { name: "orders", url: "http://orders.internal:8080" }).id;
    });
    expect(pluginAt(request, "gw/limits").payload.service).toEqual({ id: ids.service });
    expect(entityAt(request, "gw/checkout").payload.service).toEqual({ id: ids.service });
  });

  it("to a consumer is by username, for a credential and a plugin", () => {
    let consumer!: Consumer;
    const request = gateway((stack) => {
      consumer = new Consumer(stack, "alice", { username: "alice" });
      new KeyAuth(stack, "alice-key", { consumer: { username: "alice" }, key: "alice-key-0123456789abcdef0123456789" });
      new PluginRateLimiting(stack, "alice-limits", { consumer: { username: "alice" }, config: { minute: 50 } });
    });
    expect(entityAt(request, "gw/alice-key").payload.consumer).toEqual({ id: consumer.id });
    expect(pluginAt(request, "gw/alice-limits").payload.consumer).toEqual({ id: consumer.id });
  });

  it("to an entity the app does not declare is left for the sync to look up", () => {
    const request = gateway((stack) => {
      new Route(stack, "checkout", { name: "checkout", service: { name: "legacy" }, paths: ["/checkout"] });
      new PluginKeyAuth(stack, "auth", { route: { name: "legacy-route" } });
      new PluginRateLimiting(stack, "limits", { consumer: { username: "partner" }, config: { minute: 5 } });
    });
    expect(entityAt(request, "gw/checkout").payload.service).toEqual({ name: "legacy" });
    expect(pluginAt(request, "gw/auth").payload.route).toEqual({ name: "legacy-route" });
    expect(pluginAt(request, "gw/limits").payload.consumer).toEqual({ username: "partner" });
  });

  it("does not reach an entity of another workspace", () => {
    const request: SyncRequest = desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: SERVER });
      new Service(stack, "orders", { name: "orders", url: "http://orders.internal:8080", workspace: "team-a" });
      new Route(stack, "checkout", { name: "checkout", service: { name: "orders" }, paths: ["/checkout"] });
      return stack;
    }).request;
    expect(entityAt(request, "gw/checkout").payload.service).toEqual({ name: "orders" });
  });

  it("counts in Kong's one plugin of a name per scope", () => {
    const stack = new TerraformStack(Testing.app(), "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: SERVER });
    const route = new Route(stack, "checkout", { name: "checkout", service: new Service(stack, "orders", { name: "orders", host: "orders.internal" }), paths: ["/checkout"] });
    new PluginKeyAuth(stack, "auth", { route });
    expect(() => new PluginKeyAuth(stack, "auth-again", { route: { name: "checkout" } })).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid key-auth plugin at "gw/auth-again", 1 problem:
        - route.id: another key-auth plugin, "gw/auth", has the same route in workspace "default"; Kong allows one key-auth plugin per route/service combination, got "fd4142ff-859c-5e9c-85e4-248a763976f9"]
    `);
    new PluginKeyAuth(stack, "legacy-auth", { route: { name: "legacy" } });
    expect(() => new PluginKeyAuth(stack, "legacy-auth-again", { route: { name: "legacy" } })).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid key-auth plugin at "gw/legacy-auth-again", 1 problem:
        - route.name: another key-auth plugin, "gw/legacy-auth", has the same route in workspace "default"; Kong allows one key-auth plugin per route/service combination, got "legacy"]
    `);
  });

  it("counts in Kong's one plugin of a name per scope once a later declaration resolves it", () => {
    expect(() =>
      gateway((stack) => {
        new PluginKeyAuth(stack, "auth-by-name", { route: { name: "checkout" } });
        const route = new Route(stack, "checkout", { name: "checkout", service: new Service(stack, "orders", { name: "orders", host: "orders.internal" }), paths: ["/checkout"] });
        new PluginKeyAuth(stack, "auth-by-construct", { route });
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid key-auth plugin at "gw/auth-by-construct", 1 problem:
        - (plugin): another key-auth plugin, "gw/auth-by-name", has the same scope in workspace "default" once its references by name are resolved; Kong allows one key-auth plugin per route/service/consumer/consumer group combination]
    `);
  });

  it("is checked: a non-empty name, not beside an id, of a kind that has names", () => {
    const stack = new TerraformStack(Testing.app(), "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: SERVER });
    expect(() => new Route(stack, "a", { service: { name: "" }, paths: ["/a"] })).toThrowErrorMatchingInlineSnapshot(`
      [KongEntityValidationError: invalid route at "gw/a", 1 problem:
        - service.name: expected a non-empty string, got ""]
    `);
    expect(() => new PluginKeyAuth(stack, "b", { route: { id: "9c1e8e7a-2b1d-4c3e-8f5a-6b7c8d9e0f1a", name: "checkout" } })).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid key-auth plugin at "gw/b", 1 problem:
        - route.name: expected the id or the name, not both, got "checkout"]
    `);
    expect(() => new PluginRateLimiting(stack, "c", { consumer: { name: "alice" }, config: { minute: 5 } })).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid rate-limiting plugin at "gw/c", 2 problems:
        - consumer.name: unknown field
        - consumer.id: required field missing]
    `);
  });

  it("to an entity the app does not declare needs the sync layout", () => {
    const stack = new TerraformStack(new App(), "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: SERVER, layout: "per-resource" });
    expect(() => new PluginKeyAuth(stack, "auth", { route: { name: "checkout" } })).toThrowErrorMatchingInlineSnapshot(`
      [KongPluginValidationError: invalid key-auth plugin at "gw/auth", 1 problem:
        - route.name: a reference by name to an entity the app does not declare needs the sync layout, and KongGatewayProvider "gw/kong" uses "per-resource": give the route's construct or { id }, or use the sync layout, got "checkout"]
    `);
  });
});

describe("a reference by name across providers", () => {
  it("is not resolved to another provider's entity: the sync looks it up at apply", () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-names-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "gw");
      const edge = new KongGatewayProvider(stack, "edge", { serverUrl: SERVER });
      const internal = new KongGatewayProvider(stack, "internal", { serverUrl: SERVER });
      new Service(stack, "orders", { provider: internal, name: "orders", host: "orders.internal" });
      new Route(stack, "checkout", { provider: edge, name: "checkout", service: { name: "orders" }, paths: ["/checkout"] });
      app.synth();
      const assets = path.join(outdir, "stacks", "gw", "assets");
      const sets = readdirSync(assets).filter((dir) => dir.startsWith("kong-sync-")).map((dir) => JSON.parse(readFileSync(path.join(assets, dir, "desired.json"), "utf8")) as SyncRequest);
      expect(sets).toHaveLength(2);
      const route = sets.flatMap((set) => set.entities ?? []).find((e) => e.path === "gw/checkout")!;
      expect(route.payload.service).toEqual({ name: "orders" });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
