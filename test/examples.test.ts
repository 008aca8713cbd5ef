import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { FullStack, EXAMPLE_ROUTE_ID } from "../examples/full/main.js";
import { GatewayStack } from "../examples/gateway/main.js";
import { MinimalStack } from "../examples/minimal/main.js";
import { WholeGatewayStack } from "../examples/whole-gateway/main.js";
import { desiredSet, synthJson, synthSnapshot } from "./support/synth.js";

describe("examples", () => {
  it("synthesizes the gateway example: six plugins for open-source Kong 3.9", () => {
    const { request, plugins } = desiredSet((app) => new GatewayStack(app, "gateway"));
    const entries = Object.values(plugins);
    expect(entries.map((entry) => entry.payload.name).sort()).toEqual(["acl", "correlation-id", "cors", "key-auth", "rate-limiting", "request-transformer"]);
    expect(entries.find((entry) => entry.payload.name === "cors").payload.config).toEqual({
      origins: ["https://app.example.com"],
      methods: ["GET", "POST"],
      credentials: true,
      max_age: 3600,
    });
    // the desired set names the Kong the plugins were validated for
    expect(request.target).toEqual({ edition: "oss", version: "3.9" });
  });

  it("synthesizes the gateway example for open-source Kong 3.4 too: every field it sets exists there", () => {
    expect(() => new GatewayStack(Testing.app(), "gateway", { kongVersion: "3.4", edition: "oss" })).not.toThrow();
  });

  it("synthesizes the whole gateway example: services, routes, a consumer with a credential, plugins on them", () => {
    const { request, tfJson } = desiredSet((app) => new WholeGatewayStack(app, "gateway"));
    expect(request.entities.map((e: any) => `${e.kind} ${e.path}`)).toEqual([
      "services gateway/orders",
      "routes gateway/orders_api",
      "consumers gateway/mobile_app",
      "keyauth_credentials gateway/mobile_app_key_auth",
      "services gateway/payments",
      "routes gateway/payments_api",
    ]);
    const id = (path: string) => request.entities.find((e: any) => e.path === path).id;
    const plugins = Object.fromEntries(request.plugins.map((p: any) => [p.payload.name, p.payload]));
    expect(plugins["key-auth"].route).toEqual({ id: id("gateway/orders_api") });
    expect(plugins["rate-limiting"].service).toEqual({ id: id("gateway/orders") });
    expect(plugins.session.route).toEqual({ id: id("gateway/payments_api") });
    // the credential's key is a sensitive variable: a placeholder in the desired set, a reference in cdk.tf.json
    expect(request.entities[3].payload.key).toEqual({ $ref: "s0", as: "base64" });
    expect(tfJson).toContain("base64encode(var.mobile_app_key)");
    expect(() => new WholeGatewayStack(Testing.app(), "gateway", { kongVersion: "3.4", edition: "oss" })).not.toThrow();
  });

  it("synthesizes the minimal example", () => {
    const entry = desiredSet((app) => new MinimalStack(app, "minimal")).plugins["minimal/session"];
    expect(entry.payload).toEqual({
      name: "session",
      config: { cookie_name: "sid", cookie_same_site: "Lax", logout_methods: ["POST"], rolling_timeout: 3600 },
    });
    expect(entry.workspace).toBe("");
  });

  it("synthesizes the full example with every attribute of the reference page", () => {
    const stack = new FullStack(Testing.app(), "full");
    expect(synthSnapshot(stack)).toMatchSnapshot();
    const json = synthJson(stack);
    const entry = desiredSet((app) => new FullStack(app, "full")).plugins["full/my_pluginsession"];
    expect(Object.keys(entry.payload.config)).toHaveLength(26);
    expect(Object.keys(entry.payload).sort()).toEqual(
      ["condition", "config", "created_at", "enabled", "instance_name", "name", "ordering", "partials", "protocols", "route", "service", "tags", "updated_at"].sort(),
    );
    expect(entry.id).toBe("5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b");
    expect(entry.adopt).toBe(true);
    // references are placeholders in the desired set, the secret too: the sync reads their values from its environment
    expect(entry.payload.route).toEqual({ id: { $ref: "r0", as: "string" } });
    expect(entry.payload.config.secret).toEqual({ $ref: "s0", as: "base64" });
    expect(json.variable.route_id.default).toBe(EXAMPLE_ROUTE_ID);
    expect(json.variable.session_secret.sensitive).toBe(true);
  });
});
