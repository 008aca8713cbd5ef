/**
 * Empty lists through the real terraform binary: `logoutMethods: []` (no logout at all) and
 * `protocols: []` reach Kong as `[]`, never as "unset" (which Kong would fill with its defaults),
 * and changing them is an update in place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-empty-lists-token-4b7d1e";
const KONG_DEFAULT_LOGOUT_METHODS = ["POST", "DELETE"];
const KONG_DEFAULT_PROTOCOLS = ["grpc", "grpcs", "http", "https"];

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end empty lists: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: empty lists with terraform_data`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN });
    stack = new E2eStack({ backend: "terraform_data", serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  /** One global plugin: Kong checks a plugin's protocols against its route's, and a global one has none. */
  let pluginId: string;
  const load = (props: PluginSessionProps) =>
    stack.load((s) => {
      pluginId = new PluginSession(s, "session", props).pluginId;
    });

  async function applyAndExpectEmptyPlan(what: string) {
    const applied = expectExit(await stack.apply(), 0, what);
    expectExit(await stack.plan(), 0, `plan right after ${what}`);
    return applied;
  }

  const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

  it("stores [] for logoutMethods: [] and protocols: [], not Kong's defaults", async () => {
    // GIVEN a global plugin whose two lists are empty
    load({ config: { cookieName: "sid", logoutMethods: [] }, protocols: [] });
    // WHEN it is applied
    await applyAndExpectEmptyPlan("first apply");
    // THEN Kong holds the empty lists as given
    const plugin = kong.plugin(pluginId);
    expect(plugin?.config.logout_methods).toEqual([]);
    expect(plugin?.protocols).toEqual([]);
    expect(writes()).toEqual([`PUT /plugins/${pluginId}`]);
    // and the request carried them: Kong fills an omitted list with its default
    const put = kong.requests.find((r) => r.method === "PUT") as { body: { config: Record<string, unknown>; protocols: unknown } };
    expect(put.body.config.logout_methods).toEqual([]);
    expect(put.body.protocols).toEqual([]);
  });

  it("updates in place from [] to [\"POST\"] and back to []", async () => {
    const secret = kong.plugin(pluginId)!.config.secret;
    const createdAt = kong.plugin(pluginId)!.created_at;

    // WHEN logoutMethods changes from [] to ["POST"]
    kong.clearRequests();
    load({ config: { cookieName: "sid", logoutMethods: ["POST"] }, protocols: [] });
    const updated = await applyAndExpectEmptyPlan("logoutMethods [] → [POST]");
    // THEN the plugin is rewritten in place: one PUT, no DELETE, the same secret and creation time
    expect(writes()).toEqual([`PUT /plugins/${pluginId}`]);
    expect(kong.plugin(pluginId)).toMatchObject({ config: { logout_methods: ["POST"], secret }, protocols: [], created_at: createdAt });
    expect(updated.stdout).toMatch(new RegExp(`kong: updated session plugin ${pluginId} \\(default workspace; logout_methods\\) in \\d+ ms`));

    // WHEN it goes back to []
    kong.clearRequests();
    load({ config: { cookieName: "sid", logoutMethods: [] }, protocols: [] });
    await applyAndExpectEmptyPlan("logoutMethods [POST] → []");
    expect(writes()).toEqual([`PUT /plugins/${pluginId}`]);
    expect(kong.plugin(pluginId)).toMatchObject({ config: { logout_methods: [], secret }, protocols: [], created_at: createdAt });
  });

  it("tells [] apart from unset: leaving the lists out gives Kong's defaults, in place", async () => {
    const secret = kong.plugin(pluginId)!.config.secret;
    kong.clearRequests();
    load({ config: { cookieName: "sid" } });
    await applyAndExpectEmptyPlan("lists left out");
    expect(writes()).toEqual([`PUT /plugins/${pluginId}`]);
    expect(kong.plugin(pluginId)).toMatchObject({
      config: { logout_methods: KONG_DEFAULT_LOGOUT_METHODS, secret },
      protocols: KONG_DEFAULT_PROTOCOLS,
    });

    kong.clearRequests();
    load({ config: { cookieName: "sid", logoutMethods: [] }, protocols: [] });
    await applyAndExpectEmptyPlan("lists empty again");
    expect(writes()).toEqual([`PUT /plugins/${pluginId}`]);
    expect(kong.plugin(pluginId)).toMatchObject({ config: { logout_methods: [], secret }, protocols: [] });
  });

  it("deletes the plugin on terraform destroy", async () => {
    expectExit(await stack.destroy(), 0, "terraform destroy");
    expect(kong.plugins()).toEqual([]);
  });
});
