/**
 * Only Kong's own 404 (`{"message":"Not found"}`) means "no such plugin". A proxy in front of the
 * Admin API that answers `404 page not found` in text/plain says nothing about the plugin: a delete
 * or a reap that meets it must fail, so that Terraform keeps the resource and a later run, pointed
 * at Kong again, still deletes the plugin. Real terraform binary, terraform_data backend.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-proxy-404-token-c2e8f0";

/** Go's net/http answer to a path it has no handler for, as many reverse proxies give it. */
const PROXY_BODY = "404 page not found\n";

/** A server that answers every request `404 page not found` in text/plain, and records what it got. */
class TextNotFoundServer {
  readonly requests: Array<{ method: string; path: string }> = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<TextNotFoundServer> {
    let proxy: TextNotFoundServer | undefined;
    const server = createServer((req, res) => {
      proxy!.requests.push({ method: req.method ?? "", path: req.url ?? "" });
      req.resume();
      req.on("end", () => {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "content-length": Buffer.byteLength(PROXY_BODY) });
        res.end(PROXY_BODY);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new TextNotFoundServer(server);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The program's line for a plugin it cannot know about (stdout of the provisioner, unwrapped). */
const proxyError = (id: string) =>
  `kong: error KONG_INVALID_RESPONSE: invalid answer to GET /plugins/${id} (404): a 404 with a text answer, where Kong answers {"message":"Not found"}: something other than Kong's Admin API answered (a proxy or another server), so nothing is known about the plugin; point the server URL at Kong's Admin API`;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end proxy 404: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: a text/plain 404 in front of the Admin API`, () => {
  let kong: KongEmulator;
  let proxy: TextNotFoundServer;
  let stack: E2eStack;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN });
    proxy = await TextNotFoundServer.start();
    stack = new E2eStack({ backend: "terraform_data", layout: "per-resource" }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
    await proxy?.stop();
  });

  const ids: Record<string, string> = {};
  let route: string;
  /** The plugins `names` (one working directory, one state), the provider pointing at Kong or at the proxy. */
  function load(at: "kong" | "proxy", names: readonly string[]): void {
    const serverUrl = at === "kong" ? kong.url : proxy.url;
    stack.load(
      (s) => {
        for (const name of names) {
          ids[name] = new PluginSession(s, name, { config: { cookieName: name }, ...(name === "second" ? { route: { id: route } } : {}) }).pluginId;
        }
      },
      { backend: "terraform_data", layout: "per-resource", serverUrl },
    );
  }

  const identityAddress = (list: readonly string[], name: string) => list.find((address) => address.startsWith(`terraform_data.${name}_identity_`));

  it("fails when terraform destroy meets the proxy's 404: the plugin stays in Kong and the resource in the state", async () => {
    // GIVEN a plugin applied to Kong
    load("kong", ["session"]);
    expectExit(await stack.apply(), 0, "apply against Kong");
    const id = ids.session!;
    expect(kong.plugin(id)).toBeDefined();

    // WHEN the stack points at the proxy and is destroyed
    load("proxy", ["session"]);
    kong.clearRequests();
    const destroyed = await stack.destroy();

    // THEN the destroy fails, saying why, and claims nothing was deleted or absent
    expect(destroyed.exitCode).toBe(1);
    expect(destroyed.stderr).toContain("KONG_INVALID_RESPONSE");
    expect(destroyed.stdout).toContain(`(local-exec): ${proxyError(id)}`);
    expect(destroyed.stdout + destroyed.stderr).not.toContain("already absent");
    expect(destroyed.stdout + destroyed.stderr).not.toMatch(/kong: deleted session plugin/);
    expect(proxy.requests).toContainEqual({ method: "GET", path: `/plugins/${id}` });
    expect(proxy.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    // the plugin is untouched in Kong, and Terraform still holds the resource that deletes it
    expect(kong.requests).toEqual([]);
    expect(kong.plugin(id)).toBeDefined();
    expect(identityAddress(await stack.stateList(), "session")).toBeDefined();

    // WHEN the stack points at Kong again and is destroyed
    load("kong", ["session"]);
    const retried = expectExit(await stack.destroy(), 0, "destroy against Kong");
    // THEN the plugin is deleted and the state is empty
    expect(kong.plugin(id)).toBeUndefined();
    expect(kong.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/plugins/${id}`]);
    expect(retried.stdout).toMatch(new RegExp(`kong: deleted session plugin ${id} \\(default workspace\\) in \\d+ ms`));
    expect(await stack.stateList()).toEqual([]);
  });

  it("fails when the reaper meets the proxy's 404: the removed plugin stays, and the next apply against Kong deletes it", async () => {
    route = kong.addRoute({}).id;
    // GIVEN two plugins applied to Kong
    load("kong", ["session", "second"]);
    expectExit(await stack.apply(), 0, "apply of two plugins against Kong");
    const [kept, removed] = [ids.session!, ids.second!];
    expect(kong.plugins().map((p) => p.id).sort()).toEqual([kept, removed].sort());

    // WHEN "second" is removed from the code while the stack points at the proxy
    proxy.requests.length = 0;
    kong.clearRequests();
    load("proxy", ["session"]);
    const failed = await stack.apply();

    // THEN the apply fails at the reaper, and the plugin is still in Kong
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("KONG_INVALID_RESPONSE");
    expect(failed.stdout).toContain(`(local-exec): ${proxyError(removed)}`);
    expect(failed.stdout + failed.stderr).not.toContain("already absent");
    expect(proxy.requests).toContainEqual({ method: "GET", path: `/plugins/${removed}` });
    expect(kong.requests).toEqual([]);
    expect(kong.plugin(removed)).toBeDefined();
    expect(kong.plugin(kept)).toBeDefined();
    // the reaper, whose list still names the removed plugin, is kept in the state
    const list = await stack.stateList();
    expect(list.filter((address) => address.startsWith("terraform_data.kong_reaper_"))).toHaveLength(1);

    // WHEN the next apply points at Kong again
    load("kong", ["session"]);
    const applied = expectExit(await stack.apply(), 0, "apply against Kong");
    // THEN the removed plugin is deleted, the other one left alone, and the plan is empty
    expect(kong.plugin(removed)).toBeUndefined();
    expect(kong.plugin(kept)).toBeDefined();
    expect(kong.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/plugins/${removed}`]);
    expect(applied.stdout).toMatch(new RegExp(`kong: deleted session plugin ${removed} \\(default workspace\\) in \\d+ ms`));
    expectExit(await stack.plan(), 0, "plan after the apply against Kong");

    expectExit(await stack.destroy(), 0, "terraform destroy");
    expect(kong.plugins()).toEqual([]);
  });
});
