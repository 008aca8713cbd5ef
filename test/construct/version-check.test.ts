/**
 * cdktf's `terraform_data` checks the Terraform version at synth by running `terraform version` per
 * resource; the library's resources share one run per app, with cdktf's own messages.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { App, DataResource, TerraformStack } from "cdktf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";

const ROUTES = ["3473c251-5b6c-4f45-b1ff-7ede735a366d", "9c3b56e1-4d6a-4f8e-a1f2-6b3c2d1e0f9a", "0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01"];
const posix = process.platform !== "win32";

let bin: string;
let calls: string;
let path: string | undefined;

/** A `terraform` on the PATH that counts its runs and prints the given version. */
function fakeTerraform(version: string): void {
  writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho run >> "${calls}"\necho "Terraform v${version}"\n`);
  chmodSync(join(bin, "terraform"), 0o755);
}

const runs = () => readFileSync(calls, "utf8").split("\n").filter(Boolean).length;

/** The synth error of an app, or undefined. */
function synthError(build: (stack: TerraformStack) => void): string | undefined {
  const outdir = mkdtempSync(join(tmpdir(), "kong-cdktf-version-"));
  try {
    const app = new App({ outdir });
    build(new TerraformStack(app, "s"));
    app.synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function sessions(stack: TerraformStack): void {
  new KongGatewayProvider(stack, "kong", { backend: "terraform_data", layout: "per-resource" });
  ROUTES.forEach((id, i) => new PluginSession(stack, `p${i}`, { route: { id } }));
}

describe.skipIf(!posix)("the Terraform version check of terraform_data", () => {
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), "kong-cdktf-bin-"));
    calls = join(bin, "calls");
    writeFileSync(calls, "");
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path ?? ""}`;
  });

  afterEach(() => {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  });

  it("runs terraform once per app for all the library's resources", () => {
    fakeTerraform("1.11.4");

    expect(synthError(sessions)).toBeUndefined();
    expect(runs()).toBe(1); // 7 resources: a reaper, and an identity and a config resource per plugin
  });

  it("fails on every resource with cdktf's own message when Terraform is too old", () => {
    fakeTerraform("1.3.9");
    const cdktfMessage = synthError((stack) => new DataResource(stack, "bare", {}))!;
    const [, cdktfProblem] = /\[s\/bare\] (.*)/.exec(cdktfMessage)!;

    const message = synthError(sessions)!;

    const problems = message.split("\n").filter((line) => line.trim().startsWith("["));
    expect(problems.map((line) => /\[([^\]]+)\]/.exec(line)![1]).sort()).toEqual([
      "s/kong/reaper",
      "s/p0/config",
      "s/p0/identity",
      "s/p1/config",
      "s/p1/identity",
      "s/p2/config",
      "s/p2/identity",
    ]);
    for (const line of problems) expect(line.trim().replace(/^\[[^\]]+\] /, "")).toBe(cdktfProblem);
    expect(cdktfProblem).toMatch(/terraform version 1\.3\.9 is lower than the required version >=1\.4/);
    expect(runs()).toBe(2); // one for the bare resource's app, one for the library's
  });
});
