/**
 * A whole gateway (examples/whole-gateway: two services, their routes, a consumer with a key-auth
 * credential whose key is a sensitive variable, key-auth, rate-limiting, session and CORS) through
 * the real terraform binary: create; change a route's paths and a plugin's config in place (no DELETE,
 * one PUT each); remove a service with its route and plugins (deleted children first); destroy. The
 * plan is empty after each apply, and the credential's key is never printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WholeGatewayStack, type WholeGatewayStackOptions } from "../../examples/whole-gateway/main.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-gateway-admin-token-3c9d1e";
const KEY = "mobile-app-key-e2e-7f3a9c1d5b2e8f4a6c0d9e1b3a5c7e9f";
const STEP_TIMEOUT = 180_000;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end gateway: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: a whole gateway in one stack`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1", adminToken: TOKEN });
    stack = new E2eStack({}, { KONG_ADMIN_TOKEN: TOKEN, TF_VAR_mobile_app_key: KEY });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  function load(options: WholeGatewayStackOptions = {}): void {
    const outdir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-gateway-"));
    try {
      const app = new App({ outdir });
      new WholeGatewayStack(app, "gateway", { serverUrl: kong.url, ...options });
      app.synth();
      stack.loadDir(path.join(outdir, "stacks", "gateway"));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("/")[1]}`);
  const printed = (result: { stdout: string; stderr: string }) => `${result.stdout}${result.stderr}`;

  it(
    "creates the gateway in one apply, parents first, and the plan after it is empty",
    async () => {
      load();
      const applied = expectExit(await stack.apply(), 0, "apply");
      // the key is a sensitive variable in the sync provisioner's environment: Terraform hides its output
      expect(printed(applied)).toContain("terraform_data.kong_sync_AA0B2639 (local-exec): (output suppressed due to sensitive value in config)");
      expect(printed(applied)).not.toContain(KEY);
      const puts = writes();
      expect(puts.indexOf("PUT routes")).toBeGreaterThan(puts.lastIndexOf("PUT services"));
      expect(puts.indexOf("PUT plugins")).toBeGreaterThan(puts.lastIndexOf("PUT routes"));
      expect(kong.entities("services").map((s) => s.name).sort()).toEqual(["orders", "payments"]);
      expect(kong.entities("keyauth_credentials")[0]).toMatchObject({ key: KEY });
      expectExit(await stack.plan(), 0, "plan after create");
    },
    STEP_TIMEOUT,
  );

  it(
    "changes a route's paths and a plugin's config in place: one PUT each, no DELETE",
    async () => {
      const route = kong.entities("routes").find((r) => r.name === "orders-api")!;
      kong.clearRequests();
      load({ ordersPaths: ["/orders", "/v2/orders"], ordersPerMinute: 120 });
      const applied = expectExit(await stack.apply(), 0, "apply of two changes");
      expect(writes().sort()).toEqual(["PUT plugins", "PUT routes"]);
      expect(kong.entity("routes", route.id as string)).toMatchObject({ paths: ["/orders", "/v2/orders"], created_at: route.created_at });
      expect(kong.plugins().find((p) => p.name === "rate-limiting")?.config).toMatchObject({ minute: 120 });
      expect(printed(applied)).not.toContain(KEY);
      expectExit(await stack.plan(), 0, "plan after the change");
    },
    STEP_TIMEOUT,
  );

  it(
    "removes a service with its route and plugins, children first, and nothing else",
    async () => {
      kong.clearRequests();
      load({ ordersPaths: ["/orders", "/v2/orders"], ordersPerMinute: 120, withPayments: false });
      expectExit(await stack.apply(), 0, "apply of the removal");
      expect(writes()).toEqual(["DELETE plugins", "DELETE plugins", "DELETE routes", "DELETE services"]);
      expect(kong.entities("services").map((s) => s.name)).toEqual(["orders"]);
      expect(kong.plugins().map((p) => p.name).sort()).toEqual(["key-auth", "rate-limiting"]);
      expectExit(await stack.plan(), 0, "plan after the removal");
    },
    STEP_TIMEOUT,
  );

  it(
    "destroys the gateway: nothing of the stack is left in Kong",
    async () => {
      const destroyed = expectExit(await stack.destroy(), 0, "destroy");
      expect(printed(destroyed)).not.toContain(KEY);
      expect(kong.plugins()).toEqual([]);
      for (const kind of ["services", "routes", "consumers", "keyauth_credentials"] as const) expect(kong.entities(kind)).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
