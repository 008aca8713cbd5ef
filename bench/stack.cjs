// Synthesizes a stack of N PluginSessions (terraform_data) against a server URL, with the library in
// <dist>, into <outdir>; prints the synthesized stack's directory. With `mixed`, N typed plugins of
// 20 kinds instead (bench/kinds.cjs: the i-th on the route routeId(i), kind i % 20).
//
//   node bench/stack.cjs <dist> <N> <server-url> <outdir> [mixed|mixed-sync] [none|one|all]
//
// `mixed-sync`: the same plugins with the provider's sync layout; the last argument adds a tag to no
// plugin, to the first, or to all (the changes the sync benchmark applies).
"use strict";
const path = require("node:path");

const [dist, nText, serverUrl, outdir, kind, change = "none"] = process.argv.slice(2);
const { App, LocalBackend, TerraformStack } = require("cdktf");
const lib = require(path.join(dist, "index.js"));

const app = new App({ outdir, skipValidation: true });
const stack = new TerraformStack(app, "bench");
new LocalBackend(stack, { path: "terraform.tfstate" });
if (kind === "mixed" || kind === "mixed-sync") {
  const tagged = change === "one" ? (i) => (i === 0 ? "changed" : undefined) : change === "all" ? () => "changed-all" : () => undefined;
  const { mixedStack, perResourceLayout } = require("./kinds.cjs");
  mixedStack(lib, stack, Number(nText), { serverUrl, tagged, ...(kind === "mixed-sync" ? { layout: "sync" } : perResourceLayout(dist)) });
} else {
  const provider = new lib.KongGatewayProvider(stack, "kong", { serverUrl, backend: "terraform_data", ...require("./kinds.cjs").perResourceLayout(dist) });
  for (let i = 0; i < Number(nText); i++) {
    const hex = (i + 1).toString(16).padStart(12, "0");
    new lib.PluginSession(stack, `session-${i}`, {
      provider,
      route: { id: `3473c251-5b6c-4f45-b1ff-${hex}` },
      instanceName: `session-${i}`,
      tags: ["bench", "team-payments"],
      config: { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600, storage: "cookie" },
    });
  }
}
app.synth();
process.stdout.write(`${path.join(outdir, "stacks", "bench")}\n`);
