/**
 * KongBestPractices as an aspect: where it is added, how findings fail a synth, suppressions, the
 * options, and what its messages never hold.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Aspects, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { afterEach, describe, expect, it } from "vitest";
import { BasicAuth, Consumer, KeyAuth, KongBestPractices, KongGatewayProvider, PluginOpenidConnect, PluginSession, Route, Service } from "../../src/index.js";
import { thrown } from "../support/synth.js";
import { annotations, findings, ofRule } from "./support.js";

const outdirs: string[] = [];
afterEach(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A real app writing into a temporary directory: `app.synth()` fails on error annotations there. */
function realApp(): App {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "kong-policy-"));
  outdirs.push(outdir);
  return new App({ outdir });
}

/** A stack with one public route and an insecure session cookie: one warning, one error. */
function gateway(app: App, id = "gw"): { stack: TerraformStack; route: Route; session: PluginSession } {
  const stack = new TerraformStack(app, id);
  new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss" });
  const service = new Service(stack, "orders", { name: `${id}-orders`, url: "https://orders.internal", tlsVerify: true });
  const route = new Route(stack, "health", { service, paths: ["/health"], protocols: ["https"] });
  const session = new PluginSession(stack, "session", { route, config: { cookieSecure: false } });
  return { stack, route, session };
}

describe("where the pack is added", () => {
  it("checks every stack when added to the app, as cdk-nag is (cdktf runs only a stack's own aspects)", () => {
    const app = Testing.app();
    Aspects.of(app).add(new KongBestPractices());
    const first = gateway(app, "first").stack;
    const second = gateway(app, "second").stack;
    Testing.synth(first);
    Testing.synth(second);
    expect(annotations(first)).toMatchInlineSnapshot(`
      [
        "warning [KONG-ROUTE-1] route at "first/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "first/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
        "error [KONG-SESSION-1] session plugin at "first/session": config.cookieSecure is false: the browser sends the session cookie over plain http too, where anyone on the way reads it; set config.cookieSecure to true",
      ]
    `);
    expect(annotations(second)).toHaveLength(2);
  });

  it("checks a stack when added to it, or only what is under a construct when added there", () => {
    const app = Testing.app();
    const { stack, route } = gateway(app);
    Aspects.of(route).add(new KongBestPractices());
    Testing.synth(stack);
    const found = annotations(stack);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^warning \[KONG-ROUTE-1\] route at "gw\/health": /);
  });

  it("reports a finding once, however often the stack is synthesized and however many packs there are", () => {
    const app = Testing.app();
    Aspects.of(app).add(new KongBestPractices());
    const { stack } = gateway(app);
    Aspects.of(stack).add(new KongBestPractices());
    Testing.synth(stack);
    Testing.synth(stack);
    expect(annotations(stack)).toHaveLength(2);
  });
});

describe("how findings are reported", () => {
  it("fails app.synth() on an error finding, naming the construct path and the rule id", () => {
    const app = realApp();
    Aspects.of(app).add(new KongBestPractices());
    gateway(app);
    const error = thrown(() => app.synth());
    expect(error.message).toContain('[gw/session] [KONG-SESSION-1] session plugin at "gw/session": config.cookieSecure is false');
    // the warning does not fail it
    expect(error.message).not.toContain("KONG-ROUTE-1");
  });

  it("lets app.synth() pass with warnings only, and writes them into the manifest", () => {
    const app = realApp();
    Aspects.of(app).add(new KongBestPractices());
    const { session } = gateway(app);
    KongBestPractices.suppress(session, [{ id: "KONG-SESSION-1", reason: "a test of the manifest: the cookie stays on localhost" }]);
    app.synth();
    const manifest = JSON.parse(readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    const pack = manifest.stacks.gw.annotations.filter((a: any) => String(a.message).startsWith("[KONG-"));
    expect(pack.map(({ constructPath, level, message }: any) => ({ constructPath, level, message }))).toMatchInlineSnapshot(`
      [
        {
          "constructPath": "gw/health",
          "level": "@cdktf/warn",
          "message": "[KONG-ROUTE-1] route at "gw/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
        },
      ]
    `);
  });

  it("turns a rule's level with levels: a warning into an error, a rule off", () => {
    const raised = findings((stack) => new Route(stack, "r", { paths: ["/r"], protocols: ["https"] }), { pack: { levels: { "KONG-ROUTE-1": "error" } } });
    expect(raised.map((f) => f.slice(0, 20))).toEqual(["error [KONG-ROUTE-1]"]);
    expect(findings((stack) => new Route(stack, "r", { paths: ["/r"], protocols: ["https"] }), { pack: { levels: { "KONG-ROUTE-1": "off" } } })).toEqual([]);
  });

  it("fails when the options name an unknown rule, a level that is none, or a number of nodes that is not one", () => {
    expect(thrown(() => new KongBestPractices({ levels: { "KONG-SESION-1": "off", "KONG-ROUTE-1": "fatal" as never }, nodes: 0 })).message).toMatchInlineSnapshot(`
      "invalid KongBestPractices options:
        nodes: 0 is not a whole number of at least 1
        levels.KONG-SESION-1: no rule has this id (did you mean KONG-SESSION-1?); KongBestPractices.RULES lists the rules
        levels.KONG-ROUTE-1: "fatal" is not "error", "warning" or "off""
    `);
  });

  it("lists every rule with its id, level, summary and fix", () => {
    const ids = KongBestPractices.RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of KongBestPractices.RULES) {
      expect(rule.id).toMatch(/^KONG-[A-Z]+-\d+$/);
      expect(["error", "warning"]).toContain(rule.level);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(5);
    }
  });
});

describe("suppressions", () => {
  it("silence a rule for the construct, with its reason", () => {
    const app = Testing.app();
    const { stack, route } = gateway(app);
    KongBestPractices.suppress(route, [{ id: "KONG-ROUTE-1", reason: "the load balancer's health check calls it without credentials" }]);
    Aspects.of(stack).add(new KongBestPractices());
    Testing.synth(stack);
    expect(annotations(stack).map((a) => a.slice(0, 30))).toEqual(["error [KONG-SESSION-1] session"]);
  });

  it("apply to every construct inside the one suppressed, and are reported as info with reportSuppressed", () => {
    const app = Testing.app();
    const { stack } = gateway(app);
    KongBestPractices.suppress(stack, [
      { id: "KONG-ROUTE-1", reason: "the routes of this stack are public by design" },
      { id: "KONG-SESSION-1", reason: "a development stack served on localhost only" },
    ]);
    Aspects.of(stack).add(new KongBestPractices({ reportSuppressed: true }));
    Testing.synth(stack);
    expect(annotations(stack)).toMatchInlineSnapshot(`
      [
        "info [KONG-ROUTE-1] route at "gw/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route (suppressed on "gw": the routes of this stack are public by design)",
        "info [KONG-SESSION-1] session plugin at "gw/session": config.cookieSecure is false: the browser sends the session cookie over plain http too, where anyone on the way reads it; set config.cookieSecure to true (suppressed on "gw": a development stack served on localhost only)",
      ]
    `);
  });

  it("fail without a reason, with a reason too short, or naming no rule; and suppress nothing then", () => {
    const app = Testing.app();
    const { stack, route, session } = gateway(app);
    KongBestPractices.suppress(route, [{ id: "KONG-ROUTE-1", reason: "" }]);
    KongBestPractices.suppress(session, [
      { id: "KONG-SESSION-1", reason: "dev only" },
      { id: "KONG-SESION-2", reason: "a typo in the rule id" },
      { id: undefined as never, reason: "no id at all, from untyped code" },
    ]);
    Aspects.of(stack).add(new KongBestPractices());
    Testing.synth(stack);
    expect(annotations(stack)).toMatchInlineSnapshot(`
      [
        "error [KongBestPractices] suppression of KONG-ROUTE-1 on "gw/health": reason is ""; a suppression needs a reason of at least 10 characters saying why the rule does not apply, and suppresses nothing until then",
        "warning [KONG-ROUTE-1] route at "gw/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
        "error [KongBestPractices] suppression of KONG-SESSION-1 on "gw/session": reason is "dev only"; a suppression needs a reason of at least 10 characters saying why the rule does not apply, and suppresses nothing until then",
        "error [KongBestPractices] suppression of "KONG-SESION-2" on "gw/session": no rule has this id (did you mean KONG-SESSION-2?); KongBestPractices.RULES lists the rules",
        "error [KongBestPractices] suppression on "gw/session": id is unset, not the id of a rule; KongBestPractices.RULES lists them",
        "error [KONG-SESSION-1] session plugin at "gw/session": config.cookieSecure is false: the browser sends the session cookie over plain http too, where anyone on the way reads it; set config.cookieSecure to true",
      ]
    `);
  });

  it("apply from the app to every stack; one there without a reason is an error on each stack it covers", () => {
    const app = Testing.app();
    KongBestPractices.suppress(app, [
      { id: "KONG-SESSION-1", reason: "development stacks, served on localhost only" },
      { id: "KONG-ROUTE-1", reason: "public" },
    ]);
    Aspects.of(app).add(new KongBestPractices());
    const { stack } = gateway(app);
    Testing.synth(stack);
    expect(annotations(stack)).toMatchInlineSnapshot(`
      [
        "error [KongBestPractices] suppression of KONG-ROUTE-1 on the app: reason is "public"; a suppression needs a reason of at least 10 characters saying why the rule does not apply, and suppresses nothing until then",
        "warning [KONG-ROUTE-1] route at "gw/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
      ]
    `);
  });

  it("do not silence another rule", () => {
    const found = findings((stack) => {
      const route = new Route(stack, "r", { paths: ["/r"], protocols: ["http"] });
      KongBestPractices.suppress(route, [{ id: "KONG-ROUTE-1", reason: "a public route of the documentation" }]);
    });
    expect(ofRule("KONG-ROUTE-1", found)).toEqual([]);
    expect(ofRule("KONG-ROUTE-2", found)).toHaveLength(1);
  });
});

describe("secrets", () => {
  it("are checked in a plugin declared with enabled: false, which no other rule checks", () => {
    const found = findings((stack) => new PluginSession(stack, "session", { enabled: false, config: { secret: "a-literal-session-secret-0123456789", cookieSecure: false } }));
    expect(found.map((f) => f.slice(0, 22))).toEqual(["error [KONG-SECRET-1] "]);
  });

  it("never appear in a finding", () => {
    const secrets = ["session-secret-literal-0123456789", "api-key-literal-0123456789", "password-literal-0123456789", "oidc-client-secret-literal-0123"];
    const app = Testing.app();
    const stack = new TerraformStack(app, "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: "http://kong-admin.example.com:8001", kongVersion: "3.13" });
    new PluginSession(stack, "session", { config: { secret: secrets[0], cookieSecure: false } });
    const consumer = new Consumer(stack, "c", { username: "c" });
    new KeyAuth(stack, "key", { consumer, key: secrets[1] });
    new BasicAuth(stack, "basic", { consumer, username: "c", password: secrets[2] });
    new PluginOpenidConnect(stack, "oidc", { config: { issuer: "https://idp.example.com/.well-known/openid-configuration", clientSecret: [secrets[3]!], verifySignature: false } });
    const variable = new TerraformVariable(stack, "other", { type: "string", sensitive: true });
    void variable;
    Aspects.of(stack).add(new KongBestPractices({ reportSuppressed: true }));
    Testing.synth(stack);
    const all = annotations(stack);
    expect(ofRule("KONG-SECRET-1", all)).toHaveLength(4);
    expect(ofRule("KONG-ADMIN-1", all)).toHaveLength(1);
    for (const secret of secrets) for (const finding of all) expect(finding).not.toContain(secret);
  });
});

describe("the README", () => {
  it("lists every rule in its table, with its level, what it checks and the fix, and nothing more", () => {
    const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Policy checks"), readme.indexOf("## Test your own stack offline"));
    const rows = [...section.matchAll(/^\| `KONG-.*$/gm)].map((m) => m[0]);
    expect(rows).toEqual(KongBestPractices.RULES.map((r) => `| \`${r.id}\` | ${r.level} | ${r.summary} | ${r.fix} |`));
  });
});
