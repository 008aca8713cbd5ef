/**
 * The sync layout at synth: two resources per provider whatever the number of plugins, one trigger
 * key per plugin whose value changes only with that plugin, the desired set written among the
 * stack's assets (literal secrets there, references through the environment), and its messages.
 */
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginAcl, PluginCors, PluginRateLimiting, PluginSession, type KongGatewayProviderProps } from "../../src/index.js";
import { ENV, SYNC_VERSION } from "../../src/runtime/contract.js";
import { desiredSet, resources, stackWithProvider, synthJson, thrown } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
const SERVICE = "4473c251-5b6c-4f45-b1ff-7ede735a366d";
const REDIS_PASSWORD = "R3dis-Passw0rd-OfTheSyncLayoutTest-4c1f";

/** A stack with the sync layout and the plugins `build` declares. */
function syncStack(build: (stack: TerraformStack) => void, props: KongGatewayProviderProps = {}) {
  const { stack, provider } = stackWithProvider({ serverUrl: "http://kong.internal:8001", layout: "sync", ...props });
  build(stack);
  return { stack, provider, json: synthJson(stack) };
}

const limits = (stack: TerraformStack, minute = 5) =>
  new PluginRateLimiting(stack, "limits", { route: { id: ROUTE }, config: { minute, policy: "redis", redis: { host: "redis.internal", password: REDIS_PASSWORD } } });
const cors = (stack: TerraformStack, origin = "https://app.example.com") => new PluginCors(stack, "cors", { service: { id: SERVICE }, config: { origins: [origin] } });

const syncOf = (json: unknown) => Object.entries(resources(json)).find(([id]) => id.startsWith("kong_sync_"))![1];

describe("the sync layout", () => {
  it("synthesizes two resources for the provider and none per plugin", () => {
    const { json } = syncStack((stack) => {
      limits(stack);
      cors(stack);
      new PluginSession(stack, "session", { route: { id: ROUTE }, config: { cookieName: "sid" } });
    });
    expect(Object.keys(resources(json)).map((id) => id.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual(["kong_owner", "kong_reaper", "kong_sync"]);
    const sync = syncOf(json);
    expect(Object.keys(sync.triggers_replace).sort()).toEqual(["(server url)", "payments/cors", "payments/limits", "payments/session"]);
    expect(sync.triggers_replace["(server url)"]).toBe("http://kong.internal:8001");
    expect(sync.provisioner[0]["local-exec"].command).toMatch(/kong-session\.cjs sync$/);
    expect(sync.provisioner[0]["local-exec"].environment[ENV.sync]).toMatch(/^assets\/kong-sync-[0-9a-f]+\/desired\.json$/);
    expect(sync.provisioner[0]["local-exec"].environment[ENV.owner]).toMatch(/^\$\{terraform_data\.kong_owner_[0-9A-F]{8}\.id\}$/);
    const owner = Object.entries(resources(json)).find(([id]) => id.startsWith("kong_owner_"))![1];
    expect(owner.provisioner[0]["local-exec"]).toMatchObject({ when: "destroy", environment: { [ENV.owner]: "${self.id}", [ENV.workspaces]: "${self.input.workspaces}" } });
    expect(owner.input).toEqual({ server_url: "http://kong.internal:8001", workspaces: '[""]' });
  });

  it("changes one trigger value for a plugin that changes, and no other", () => {
    const before = syncOf(syncStack((stack) => (limits(stack), cors(stack))).json).triggers_replace;
    const after = syncOf(syncStack((stack) => (limits(stack), cors(stack, "https://admin.example.com"))).json).triggers_replace;
    expect(after["payments/limits"]).toBe(before["payments/limits"]);
    expect(after["payments/cors"]).not.toBe(before["payments/cors"]);
    expect(after["payments/cors"]).toMatch(/^[0-9a-f]{16}$/);
    // a secret's digest is sensitive, and salted with the plugin id
    expect(before["payments/limits"]).toMatch(/^[0-9a-f]{16} \$\{sensitive\("[0-9a-f]{64}"\)\}$/);
  });

  it("writes the desired set among the stack's assets at synth, literal secrets in it, none in cdk.tf.json", () => {
    const { request: desired, tfJson: tf } = desiredSet((app) => {
      const stack = new TerraformStack(app, "payments");
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new KongGatewayProvider(stack, "kong", { serverUrl: "http://kong.internal:8001", layout: "sync", kongVersion: "3.9" });
      limits(stack);
      cors(stack);
      return stack;
    });
    expect(desired).toMatchObject({ version: SYNC_VERSION, serverUrl: "http://kong.internal:8001", target: { edition: "enterprise", version: "3.9" } });
    expect(desired.plugins.map((p: { path: string }) => p.path)).toEqual(["payments/limits", "payments/cors"]);
    expect(desired.plugins[0].payload.config.redis.password).toBe(REDIS_PASSWORD);
    expect(Object.keys(desired.facts).sort()).toEqual(["cors", "rate-limiting"]);
    expect(tf).not.toContain(REDIS_PASSWORD);
    expect(tf).not.toContain(Buffer.from(REDIS_PASSWORD).toString("base64"));
    expect(tf).not.toContain(`${ENV.refPrefix}s`);
  });

  it("passes a referenced secret through the environment, marked sensitive, and names its variable in the trigger", () => {
    const { json } = syncStack((stack) => {
      const password = new TerraformVariable(stack, "redis_password", { type: "string", sensitive: true });
      new PluginRateLimiting(stack, "limits", { route: { id: ROUTE }, config: { minute: 5, policy: "redis", redis: { host: "redis.internal", password: password.stringValue } } });
    });
    const sync = syncOf(json);
    const environment = sync.provisioner[0]["local-exec"].environment;
    expect(Object.values(environment)).toContain("${base64encode(var.redis_password)}");
    expect(sync.triggers_replace["payments/limits"]).toContain("var.redis_password");
  });

  it("warns about a literal secret, saying where it is written", () => {
    const { stack } = syncStack(() => undefined);
    const plugin = limits(stack);
    const warnings = plugin.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data).replace(/kong-sync-[0-9a-f]+/, "kong-sync-ADDR"));
    expect(warnings).toEqual([
      `config.redis.host, config.redis.password of rate-limiting plugin at "payments/limits" are literal strings: written into the synthesized stack's desired set (assets/kong-sync-ADDR/desired.json; never into Terraform's plans, state or logs) and kept in your code; pass a sensitive TerraformVariable or a Kong vault reference ({vault://env/rate-limiting-secret}) instead`,
    ]);
  });

  it("takes referenced plugin ids and workspaces: their references join the trigger", () => {
    const { json } = syncStack((stack) => {
      const id = new TerraformVariable(stack, "limits_id", { type: "string" });
      new PluginRateLimiting(stack, "limits", { id: id.stringValue, route: { id: ROUTE }, config: { minute: 5 } });
    });
    const sync = syncOf(json);
    expect(sync.triggers_replace["payments/limits"]).toMatch(/^[0-9a-f]{16} \$\{var\.limits_id\}$/);
    expect(Object.values(sync.provisioner[0]["local-exec"].environment)).toContain("${var.limits_id}");
  });

  it("refuses references that would not fit the sync provisioner's environment", () => {
    const { stack } = stackWithProvider({ layout: "sync" });
    const group = new TerraformVariable(stack, "group", { type: "string" }).stringValue;
    const error = thrown(() => new PluginAcl(stack, "acl", { route: { id: ROUTE }, config: { allow: Array.from({ length: 25_000 }, () => group) } }));
    expect(error.message).toBe(
      `invalid acl plugin at "payments/acl", 1 problem:\n  - (plugin): the references and secrets of the provider's plugins must fit the environment of its sync provisioner (1536 KiB; Linux limits a process's environment to 2 MiB): split the plugins over several KongGatewayProviders or stacks, got "1 plugins"`,
    );
  });

  it("points the plugins' resources at the provider's", () => {
    const { stack, provider } = stackWithProvider({ layout: "sync" });
    const plugin = cors(stack);
    expect(plugin.identityResource).toBe(provider.ownerResource);
    expect(plugin.configResource).toBe(provider.reaper);
    expect(provider.layout).toBe("sync");
  });

  it("refuses an unknown layout, and the sync layout with the null_resource backend", () => {
    const app = new App();
    const stack = new TerraformStack(app, "payments");
    expect(thrown(() => new KongGatewayProvider(stack, "a", { layout: "synced" as "sync" })).message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "payments/a", 1 problem:
        - layout: expected one of: sync, per-resource, got "synced" (did you mean "sync"?)"
    `);
    expect(thrown(() => new KongGatewayProvider(stack, "b", { layout: "sync", backend: "null_resource" })).message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "payments/b", 1 problem:
        - layout: the sync layout needs the terraform_data backend, whose input keeps the workspaces and server URL its teardown reads; set backend: "terraform_data" (the default), or layout: "per-resource", got "sync""
    `);
  });
});
