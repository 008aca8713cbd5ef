/**
 * The types of references by name: every plugin's scopes (the session plugin's included) and the
 * entities' foreign keys take `{ name }` (a consumer `{ username }`), beside constructs and `{ id }`.
 * Checked by `vitest --typecheck` (nothing here runs).
 */
import type { TerraformStack } from "cdktf";
import { describe, it } from "vitest";
import { KeyAuth, PluginKeyAuth, PluginRateLimiting, PluginSession, Route } from "../../src/index.js";

declare const stack: TerraformStack;

describe("references by name", () => {
  it("are taken by plugins' scopes and entities' foreign keys", () => {
    new PluginSession(stack, "session", { route: { name: "checkout" }, service: { name: "shop" } });
    new PluginKeyAuth(stack, "auth", { route: { name: "checkout" } });
    new PluginRateLimiting(stack, "limits", { consumer: { username: "partner" }, config: { minute: 5 } });
    new Route(stack, "route", { service: { name: "shop" }, paths: ["/shop"] });
    new KeyAuth(stack, "key", { consumer: { username: "partner" } });
    // @ts-expect-error a consumer is named by its username
    new KeyAuth(stack, "wrong", { consumer: { name: "partner" } });
  });
});
