/**
 * KongPlugin: a plugin this library knows is validated by its facts (and entity checks) in Kong's
 * names; a custom plugin's untyped config passes through to the request as it is, marked custom so
 * the apply-time program does not validate it either.
 */
import { describe, expect, it } from "vitest";
import { KongPlugin, KongPluginValidationError } from "../../src/index.js";
import { applyRequest, resource, stackWithProvider, synthJson, thrown } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";

describe("KongPlugin", () => {
  it("fails when the config of a known plugin is invalid, every problem in one error", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", kongVersion: "3.9", edition: "oss" });
    const error = thrown(() => new KongPlugin(stack, "limits", { name: "rate-limiting", config: { minute: "5", polcy: "local", limit_by: "consumr" } }));
    expect(error).toBeInstanceOf(KongPluginValidationError);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 3 problems:
        - config.limit_by: expected one of: consumer, consumer-group, credential, header, ip, path, service, got "consumr" (did you mean "consumer"?)
        - config.minute: expected a number, got "5"
        - config.polcy: unknown field (did you mean config.policy?)"
    `);
  });

  it("writes a known plugin's valid config as given, for the facts' rules at apply", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", kongVersion: "3.9", edition: "oss" });
    new KongPlugin(stack, "limits", { name: "rate-limiting", config: { minute: 5, policy: "local" }, route: { id: ROUTE } });
    const config = resource(synthJson(stack), "limits_config");
    const request = applyRequest(config);
    expect(request.payload).toEqual({ name: "rate-limiting", config: { minute: 5, policy: "local" }, route: { id: ROUTE } });
    expect(request.custom).toBeUndefined();
    expect(config.provisioner[0]["local-exec"].environment.KONG_CDKTF_FACTS).toMatch(/rate-limiting/);
  });

  it("passes a custom plugin's untyped config through, unvalidated and marked custom", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", kongVersion: "3.9", edition: "oss" });
    const config = { anything: { nested: [1, "two", null] }, Weird_Key: true, minute: "not checked" };
    new KongPlugin(stack, "mine", { name: "my-custom-plugin", config, route: { id: ROUTE } });
    const resourceJson = resource(synthJson(stack), "mine_config");
    const request = applyRequest(resourceJson);
    expect(request.payload).toEqual({ name: "my-custom-plugin", config, route: { id: ROUTE } });
    expect(request.custom).toBe(true);
    expect(resourceJson.provisioner[0]["local-exec"].environment.KONG_CDKTF_FACTS).toBeUndefined();
  });

  it("fails when a custom plugin's name or entity fields are invalid, its config unchecked", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", kongVersion: "3.9", edition: "oss" });
    expect(thrown(() => new KongPlugin(stack, "mine", { name: "My Plugin", config: { x: 1 }, condition: "true", route: { id: "nope" } })).message).toMatchInlineSnapshot(`
      "invalid My Plugin plugin at "payments/mine", 3 problems:
        - name: expected a plugin name (lower-case letters, digits, - and _), got "My Plugin"
        - condition: not in open-source Kong: Kong Enterprise 3.15+ has it, got "true"
        - route.id: expected a valid UUID, got "nope""
    `);
  });
});
