/**
 * Which framework the library binds: the one installed, or, with cdktf and cdktn both installed, the
 * one whose App (else TerraformStack) holds the construct. The second framework here is a second,
 * separate load of cdktf's package standing in for cdktn: the same API with classes of its own, as
 * the two frameworks are (the real cdktn runs in test/e2e/frameworks.e2e.test.ts).
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { Construct } from "constructs";
import { afterEach, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginCors } from "../../src/index.js";
import { frameworkName, useFrameworkLoader } from "../../src/internal/cdk.js";

type Cdktf = typeof import("cdktf");
const load = createRequire(__filename);
const cdktf = load("cdktf") as Cdktf;

/** cdktf's package loaded again, apart from the first load: every class distinct. */
function secondLoad(): Cdktf {
  const dir = path.dirname(load.resolve("cdktf/package.json")) + path.sep;
  const first = Object.entries(load.cache).filter(([file]) => file.startsWith(dir));
  for (const [file] of first) delete load.cache[file];
  try {
    return load("cdktf") as Cdktf;
  } finally {
    for (const file of Object.keys(load.cache)) if (file.startsWith(dir)) delete load.cache[file];
    for (const [file, module] of first) load.cache[file] = module;
  }
}
const other = secondLoad();

afterEach(() => useFrameworkLoader());

function bothInstalled(): void {
  useFrameworkLoader((name) => (name === "cdktf" ? cdktf : other));
}

function gateway(framework: Cdktf, backend: "terraform_data" | "null_resource" = "terraform_data") {
  const app = framework.Testing.app();
  const stack = new framework.TerraformStack(app, "s");
  const provider = new KongGatewayProvider(stack, "kong", { backend });
  const cors = new PluginCors(stack, "cors", { config: { origins: ["https://app.example.com"] } });
  return { stack, provider, cors };
}

describe("the framework bound to an app", () => {
  it("is cdktf here, where only cdktf is installed", () => {
    expect(frameworkName(gateway(cdktf).provider)).toBe("cdktf");
  });

  it("with both installed, is the one whose App is the root, for resources, providers and assets alike", () => {
    bothInstalled();
    expect(other.App).not.toBe(cdktf.App);
    for (const [framework, name] of [[cdktf, "cdktf"], [other, "cdktn"]] as const) {
      const mismatched = framework === cdktf ? other : cdktf;
      const { stack, provider, cors } = gateway(framework, "null_resource");
      expect(frameworkName(cors)).toBe(name);
      expect(provider.terraformProvider).toBeInstanceOf(framework.TerraformProvider);
      expect(provider.terraformProvider).not.toBeInstanceOf(mismatched.TerraformProvider);
      expect(provider.reaper).toBeInstanceOf(framework.TerraformResource);
      expect(cors.configResource).toBeInstanceOf(framework.TerraformResource);
      expect(cors.configResource).not.toBeInstanceOf(mismatched.TerraformResource);
      expect(stack.node.findAll().filter((c) => c instanceof framework.TerraformAsset).length).toBeGreaterThan(0);
      expect(stack.node.findAll().some((c) => c instanceof mismatched.TerraformElement)).toBe(false);
      const json = JSON.parse(framework.Testing.synth(stack));
      expect(json.provider).toEqual({ null: [{}] });
      expect(Object.keys(json.resource.null_resource).sort()).toEqual(["cors_config_03B3E11B", "cors_identity_4D18C41B", "kong_reaper_566A05E7"]);
    }
  });

  it("with both installed and the root no App, is the one whose TerraformStack holds the construct", () => {
    bothInstalled();
    const stack = new other.TerraformStack(new Construct(undefined as never, "root"), "s");
    expect(frameworkName(new Construct(stack, "inner"))).toBe("cdktn");
  });

  it("with both installed, is neither for a construct outside any App or stack: the error says so", () => {
    bothInstalled();
    expect(() => new KongGatewayProvider(new Construct(undefined as never, "root"), "kong")).toThrowErrorMatchingInlineSnapshot(
      `[Error: "root/kong": both cdktf and cdktn are installed and the construct belongs to neither's app or stack (its root is a Construct): create it in a stack of the App your app imports]`,
    );
  });

  it("without either installed, fails on the first construct with what to install", () => {
    useFrameworkLoader(() => undefined);
    expect(() => gateway(cdktf)).toThrowErrorMatchingInlineSnapshot(
      `[Error: "s/kong": cdktf-kong-gateway needs cdktf (0.21) or cdktn (0.24) and found neither: install the one your app uses (npm install cdktn@0.24 or npm install cdktf@0.21)]`,
    );
  });

  it("keeps one binding per app: a loader changed afterwards does not move an app's constructs", () => {
    const { stack } = gateway(cdktf);
    bothInstalled();
    expect(frameworkName(new Construct(stack, "later"))).toBe("cdktf");
  });
});
