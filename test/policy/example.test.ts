import { Aspects, TerraformStack } from "cdktf";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PolicyStack } from "../../examples/policy/main.js";
import { KongBestPractices, KongGatewayProvider, PluginSession } from "../../src/index.js";
import { desiredSet } from "../support/synth.js";
import { annotations } from "./support.js";

describe("the policy example", () => {
  it("holds every line of the README's policy snippets (so that they compile)", () => {
    const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Policy checks"), readme.indexOf("## Test your own stack offline"));
    const example = readFileSync(path.join(__dirname, "../../examples/policy/main.ts"), "utf8").split("\n").map((line) => line.trim());
    const lines = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n").map((line) => line.trim())).filter((line) => line !== "");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const imported = /^import \{ (.*) \} from "(.*)";$/.exec(line);
      if (imported) {
        // the names a snippet imports are imported by the example from the same module
        const names = imported[1]!.split(", ");
        const from = example.find((l) => l.endsWith(`from "${imported[2]}";`) && l.startsWith("import {"));
        for (const name of names) expect(from, line).toContain(name);
      } else expect(example, line).toContain(line);
    }
  });

  it("synthesizes with the pack on the app: no finding, its public route's suppressed with the reason", () => {
    let stack: PolicyStack | undefined;
    const { request } = desiredSet((app) => {
      Aspects.of(app).add(new KongBestPractices({ nodes: 3, reportSuppressed: true }));
      stack = new PolicyStack(app, "policy");
      return stack;
    });
    expect(request.plugins.map((p: any) => p.payload.name).sort()).toEqual(["key-auth", "rate-limiting"]);
    expect(annotations(stack!)).toMatchInlineSnapshot(`
      [
        "info [KONG-ROUTE-1] route at "policy/health": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "policy/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route (suppressed on "policy/health": the load balancer's health check calls it without credentials)",
      ]
    `);
  });

  it("keeps the suppression at any level, and fails the synth for another stack of the app that breaks a rule", () => {
    expect(() =>
      desiredSet((app) => {
        Aspects.of(app).add(new KongBestPractices({ nodes: 3, levels: { "KONG-ROUTE-1": "error" } }));
        return new PolicyStack(app, "policy");
      }),
    ).not.toThrow();
    expect(() =>
      desiredSet((app) => {
        Aspects.of(app).add(new KongBestPractices({ nodes: 3 }));
        const other = new TerraformStack(app, "other");
        new KongGatewayProvider(other, "kong", { serverUrl: "http://localhost:8001" });
        new PluginSession(other, "session", { config: { cookieHttpOnly: false } });
        return new PolicyStack(app, "policy");
      }),
    ).toThrow(/\[other\/session\] \[KONG-SESSION-2\] session plugin at "other\/session": config.cookieHttpOnly is false/);
  });
});
