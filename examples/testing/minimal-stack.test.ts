// How to test your own stack offline, in CI: a snapshot of the synthesized JSON, and a real
// `terraform apply` against the embedded Kong Admin API emulator. Copy and adapt.
import { App, Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTerraform, KongEmulator, maskRuntimeAssetHash, TerraformWorkdir } from "cdktf-kong-gateway/testing";
import { MinimalStack } from "../minimal/main";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

describe("MinimalStack", () => {
  it("synthesizes the session plugin I expect", () => {
    const stack = new MinimalStack(Testing.app(), "minimal");
    // the runtime's content hash changes with each release of cdktf-kong-gateway: mask it
    expect(maskRuntimeAssetHash(Testing.synth(stack))).toMatchSnapshot();
  });

  describe("applied with terraform against the emulator", () => {
    let terraform: Awaited<ReturnType<typeof findTerraform>>;
    let kong: KongEmulator;
    let workdir: TerraformWorkdir;

    beforeAll(async () => {
      terraform = await findTerraform();
      kong = await KongEmulator.start({ edition: "community", version: "3.9.1" });
      workdir = TerraformWorkdir.create();
    });
    afterAll(async () => {
      workdir?.dispose();
      await kong?.stop();
    });

    it("creates the plugin and destroys it", async (context) => {
      if (!terraform) {
        process.stderr.write("\n*** SKIPPED: MinimalStack apply test: no terraform on the PATH ***\n\n");
        return context.skip("no terraform on the PATH");
      }
      const outdir = mkdtempSync(path.join(tmpdir(), "minimal-"));
      const app = new App({ outdir });
      const stack = new MinimalStack(app, "minimal", kong.url);
      app.synth();
      workdir.load(path.join(outdir, "stacks", "minimal"));

      expect((await workdir.init()).exitCode).toBe(0);
      expect((await workdir.apply()).exitCode).toBe(0);
      expect(kong.plugin(stack.session.pluginId)).toMatchObject({ name: "session", config: { cookie_name: "sid", cookie_same_site: "Lax" } });
      expect((await workdir.plan()).exitCode).toBe(0); // no changes
      expect((await workdir.destroy()).exitCode).toBe(0);
      expect(kong.plugins()).toEqual([]);
    });
  });
});
