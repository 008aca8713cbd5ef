/**
 * `kong-gateway-cdktf diff` on plugins of every kind (typed constructs of the facts, and a custom
 * plugin through KongPlugin), against the emulator holding them as Kong stores them (every default
 * filled in): Kong's defaults are no change, field changes are named in Kong's names, secrets are
 * compared without being printed, and the state's digest tells a secret changed by hand (drift).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, KongPlugin, PluginAcl, PluginCorrelationId, PluginCors, PluginKeyAuth, PluginRateLimiting } from "../../src/index.js";
import { ownerTag } from "../../src/runtime/ownership.js";
import { KongEmulator } from "../../src/testing/index.js";
import { ALL_SECRETS, asKongStores, CUSTOM_SECRET, REDIS_PASSWORD } from "./plugin-fixtures.js";
import { expectNoSecrets, normalize, runCli, tempDir, TOKEN } from "./support.js";

const WS = "team-payments";
const HAND_PASSWORD = "HandSetR3disPasswordInK0ng";
/** The id of the stack's identity resources in the state: the owner token of its plugins. */
const OWNER = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
/** The owner token of another stack. */
const OTHER = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

describe("diff of plugins of every kind", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let outdir: string;
  let stateFile: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    work = tempDir("cli-diff-plugins");
    outdir = path.join(work.dir, "cdktf.out");

    // GIVEN a stack of plugins of several kinds
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "shop");
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, backend: "terraform_data", layout: "per-resource", kongVersion: "3.10" });
    const route = kong.addRoute({ workspace: WS }).id;
    const limits = new PluginRateLimiting(stack, "limits", {
      workspace: WS,
      config: { minute: 10, policy: "redis", redis: { host: "redis.internal", password: REDIS_PASSWORD } },
    });
    const cors = new PluginCors(stack, "cors", { workspace: WS, config: { origins: ["https://a.example.com"], credentials: true } });
    const keys = new PluginKeyAuth(stack, "keys", { workspace: WS, route: { id: route }, tags: ["edge"], config: { keyNames: ["apikey"] } });
    const custom = new KongPlugin(stack, "custom", { name: "x-trace-header", config: { header_name: "X-Trace", secret: CUSTOM_SECRET } });
    new PluginAcl(stack, "acl", { workspace: WS, config: { allow: ["admins"] } });
    const taken = new PluginCorrelationId(stack, "taken", { workspace: WS, config: { headerName: "X-Request-Id" } });
    app.synth();

    // AND Kong holding them as it stores them: limits' password and keys' hide_credentials changed
    // by hand, cors as the code says but tagged by another stack, the custom plugin with a field Kong
    // filled in, and the id of "taken" held by a plugin of another kind
    const owner = ownerTag(OWNER);
    const seed = (id: string, body: Record<string, unknown>, workspace?: string) =>
      kong.seedPlugin({ ...asKongStores(body as never), id } as never, workspace);
    seed(limits.pluginId, { name: "rate-limiting", tags: [owner], config: { minute: 10, policy: "redis", redis: { host: "redis.internal", password: HAND_PASSWORD } } }, WS);
    seed(cors.pluginId, { name: "cors", tags: [ownerTag(OTHER)], config: { origins: ["https://a.example.com"], credentials: true } }, WS);
    seed(taken.pluginId, { name: "request-termination", config: { status_code: 404 } }, WS);
    seed(keys.pluginId, { name: "key-auth", route: { id: route }, tags: ["edge", "by-hand", owner], config: { key_names: ["apikey"], hide_credentials: true } }, WS);
    seed(custom.pluginId, { name: "x-trace-header", config: { header_name: "X-Trace", secret: CUSTOM_SECRET, sample_rate: 1 } });

    // AND a state in which the last apply wrote limits and cors as the code says (Terraform stores
    // the triggers evaluated: the secrets' digest as its value, the identity resource's id as the owner)
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", "shop", "cdk.tf.json"), "utf8"));
    const configs = Object.entries(json.resource.terraform_data as Record<string, { triggers_replace: Record<string, string> }>).filter(
      ([id]) => id.startsWith("limits_config_") || id.startsWith("cors_config_"),
    );
    const evaluated = (value: string) =>
      value
        .replace(/^\$\{sensitive\("([0-9a-f]+)"\)\}$/, "$1")
        .replace(/^\$\{terraform_data\.[A-Za-z0-9_-]+\.id\}$/, OWNER)
        .replace(/\$\$\{/g, "${");
    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 3,
      lineage: "0b6f1c2a-1e4b-7d4e-2a9c-3b2d1e0f9a8b",
      outputs: {},
      resources: configs.map(([name, resource]) => ({
        mode: "managed",
        type: "terraform_data",
        name,
        provider: 'provider["terraform.io/builtin/terraform"]',
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              input: null,
              output: null,
              triggers_replace: { value: Object.fromEntries(Object.entries(resource.triggers_replace).map(([k, v]) => [k, evaluated(v)])), type: ["object", {}] },
            },
            sensitive_attributes: [],
          },
        ],
      })),
    };
    stateFile = path.join(work.dir, "shop.tfstate");
    writeFileSync(stateFile, JSON.stringify(state));
  });

  afterAll(async () => {
    work?.dispose();
    await kong?.stop();
  });

  it("reports each plugin's status and changes, Kong's defaults and a custom plugin's own fields aside (exit 2)", async () => {
    const result = await runCli(["diff", "--out", outdir, "--state", stateFile], { env });
    expect(normalize(result.stdout, { [outdir]: "<out>" })).toMatchInlineSnapshot(`
      "+ create shop/acl: acl plugin <uuid> in workspace team-payments
      = unchanged shop/cors: cors plugin <uuid> in workspace team-payments
          note: another stack manages the live plugin (tag cdktf-kong-gateway:owner=<uuid>): apply refuses to overwrite it unless the construct names its id
      = unchanged shop/custom: x-trace-header plugin <uuid> (default workspace)
      ~ update shop/keys: key-auth plugin <uuid> in workspace team-payments
          tags: ["edge","by-hand"] → ["edge"]
          config.hide_credentials: true → false
      ! changed outside Terraform shop/limits: rate-limiting plugin <uuid> in workspace team-payments
          config.redis.password: (changed)
          repair: terraform apply -replace=terraform_data.limits_config_11D692A9 (in <work>/cdktf.out/stacks/shop)
      ~ update shop/taken: correlation-id plugin <uuid> in workspace team-payments
          name: "request-termination" → "correlation-id"
          note: the live plugin is a "request-termination" plugin, not a correlation-id plugin: apply refuses to overwrite it
      Summary: 1 to create, 2 to update, 2 unchanged, 1 changed outside Terraform
      "
    `);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`""`);
    expect(result.code).toBe(2);
    expectNoSecrets(result, HAND_PASSWORD, ...ALL_SECRETS);
  });

  it("prints the plugin's name and redacted secrets in JSON", async () => {
    const result = await runCli(["diff", "--out", outdir, "--state", stateFile, "--json"], { env });
    const document = JSON.parse(result.stdout) as { plugins: Array<{ path: string; name: string; status: string; changes: unknown[] }> };
    expect(document.plugins.map(({ path: p, name, status, changes }) => ({ path: p, name, status, changes }))).toMatchInlineSnapshot(`
      [
        {
          "changes": [],
          "name": "acl",
          "path": "shop/acl",
          "status": "create",
        },
        {
          "changes": [],
          "name": "cors",
          "path": "shop/cors",
          "status": "unchanged",
        },
        {
          "changes": [],
          "name": "x-trace-header",
          "path": "shop/custom",
          "status": "unchanged",
        },
        {
          "changes": [
            {
              "desired": [
                "edge",
              ],
              "field": "tags",
              "live": [
                "edge",
                "by-hand",
              ],
            },
            {
              "desired": false,
              "field": "config.hide_credentials",
              "live": true,
            },
          ],
          "name": "key-auth",
          "path": "shop/keys",
          "status": "update",
        },
        {
          "changes": [
            {
              "desired": "<redacted>",
              "field": "config.redis.password",
              "live": "<redacted>",
            },
          ],
          "name": "rate-limiting",
          "path": "shop/limits",
          "status": "drifted",
        },
        {
          "changes": [
            {
              "desired": "correlation-id",
              "field": "name",
              "live": "request-termination",
            },
          ],
          "name": "correlation-id",
          "path": "shop/taken",
          "status": "update",
        },
      ]
    `);
    expectNoSecrets(result, HAND_PASSWORD, ...ALL_SECRETS);
  });

  it("finds nothing once Kong holds what the code says", async () => {
    // WHEN limits' password and keys are set back by hand, acl created, taken's id given to it
    const limits = kong.plugins(WS).find((p) => p.name === "rate-limiting")!;
    kong.seedPlugin({ ...limits, config: { ...limits.config, redis: { ...(limits.config.redis as object), password: REDIS_PASSWORD } } } as never, WS);
    const keys = kong.plugins(WS).find((p) => p.name === "key-auth")!;
    kong.seedPlugin({ ...keys, tags: ["edge"], config: { ...keys.config, hide_credentials: false } } as never, WS);
    const acl = JSON.parse(readFileSync(path.join(outdir, "stacks", "shop", "cdk.tf.json"), "utf8"));
    const aclRequest = Object.entries(acl.resource.terraform_data as Record<string, { triggers_replace: Record<string, string> }>).find(([id]) => id.startsWith("acl_config_"))!;
    const aclId = JSON.parse(aclRequest[1].triggers_replace.request).pluginId as string;
    kong.seedPlugin({ ...asKongStores({ name: "acl", config: { allow: ["admins"] } }), id: aclId } as never, WS);
    const taken = kong.plugins(WS).find((p) => p.name === "request-termination")!;
    kong.seedPlugin({ ...asKongStores({ name: "correlation-id", config: { header_name: "X-Request-Id" } }), id: taken.id } as never, WS);

    const result = await runCli(["diff", "--out", outdir, "--state", stateFile], { env });
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "= unchanged shop/acl: acl plugin <uuid> in workspace team-payments
      = unchanged shop/cors: cors plugin <uuid> in workspace team-payments
          note: another stack manages the live plugin (tag cdktf-kong-gateway:owner=<uuid>): apply refuses to overwrite it unless the construct names its id
      = unchanged shop/custom: x-trace-header plugin <uuid> (default workspace)
      = unchanged shop/keys: key-auth plugin <uuid> in workspace team-payments
      = unchanged shop/limits: rate-limiting plugin <uuid> in workspace team-payments
      = unchanged shop/taken: correlation-id plugin <uuid> in workspace team-payments
      Summary: 0 to create, 0 to update, 6 unchanged
      "
    `);
    expect(result.code).toBe(0);
  });
});
