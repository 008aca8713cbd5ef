import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { FullStack, EXAMPLE_ROUTE_ID } from "../examples/full/main.js";
import { GatewayStack } from "../examples/gateway/main.js";
import { MinimalStack } from "../examples/minimal/main.js";
import { applyRequest, resource, synthJson, synthSnapshot } from "./support/synth.js";

describe("examples", () => {
  it("synthesizes the gateway example: six plugins for open-source Kong 3.9", () => {
    const stack = new GatewayStack(Testing.app(), "gateway");
    const json = synthJson(stack);
    const names = Object.keys(json.resource.terraform_data)
      .filter((id) => id.includes("_config_"))
      .map((id) => applyRequest(json.resource.terraform_data[id]).payload.name)
      .sort();
    expect(names).toEqual(["acl", "correlation-id", "cors", "key-auth", "rate-limiting", "request-transformer"]);
    expect(applyRequest(resource(json, "rate_limiting_config")).target).toEqual({ edition: "oss", version: "3.9" });
    expect(applyRequest(resource(json, "cors_config")).payload.config).toEqual({
      origins: ["https://app.example.com"],
      methods: ["GET", "POST"],
      credentials: true,
      max_age: 3600,
    });
  });

  it("synthesizes the gateway example for open-source Kong 3.4 too: every field it sets exists there", () => {
    expect(() => new GatewayStack(Testing.app(), "gateway", { kongVersion: "3.4", edition: "oss" })).not.toThrow();
  });

  it("synthesizes the minimal example", () => {
    const stack = new MinimalStack(Testing.app(), "minimal");
    const request = applyRequest(resource(synthJson(stack), "session_config"));
    expect(request.payload).toEqual({
      name: "session",
      config: { cookie_name: "sid", cookie_same_site: "Lax", logout_methods: ["POST"], rolling_timeout: 3600 },
    });
    expect(request.workspace).toBe("");
  });

  it("synthesizes the full example with every attribute of the reference page", () => {
    const stack = new FullStack(Testing.app(), "full");
    expect(synthSnapshot(stack)).toMatchSnapshot();
    const json = synthJson(stack);
    const request = applyRequest(resource(json, "my_pluginsession_config"));
    expect(Object.keys(request.payload.config)).toHaveLength(26);
    expect(Object.keys(request.payload).sort()).toEqual(
      ["condition", "config", "created_at", "enabled", "instance_name", "name", "ordering", "partials", "protocols", "route", "service", "tags", "updated_at"].sort(),
    );
    expect(request.pluginId).toBe("5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b");
    expect(request.payload.route).toEqual({ id: { $ref: "1", as: "string" } });
    expect(json.variable.route_id.default).toBe(EXAMPLE_ROUTE_ID);
    expect(json.variable.session_secret.sensitive).toBe(true);
  });
});
