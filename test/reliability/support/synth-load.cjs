// Synthesizes one stack of N PluginSessions with the built library (dist/), as a user's `cdktf synth`
// would, in a process of its own, and prints what it measured as JSON: synth wall time, peak RSS.
// usage: node synth-load.cjs <outdir> <serverUrl> <routes.json>
"use strict";
const started = process.hrtime.bigint();
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { App, LocalBackend, TerraformStack } = require("cdktf");
const { KongGatewayProvider, PluginSession } = require(path.join(__dirname, "..", "..", "..", "dist", "index.js"));

const [outdir, serverUrl, routesFile] = process.argv.slice(2);
const routes = JSON.parse(readFileSync(routesFile, "utf8"));
const loaded = process.hrtime.bigint();

const app = new App({ outdir });
const stack = new TerraformStack(app, "load");
new LocalBackend(stack, { path: "terraform.tfstate" });
new KongGatewayProvider(stack, "kong", { backend: "terraform_data", layout: "per-resource", serverUrl });
routes.forEach((route, i) => {
  new PluginSession(stack, `session${i}`, {
    route: { id: route },
    tags: ["load", `n${i}`],
    config: { cookieName: `sid-${i}`, rollingTimeout: 3600 + i, cookieSameSite: "Lax", logoutMethods: ["POST"] },
  });
});
app.synth();
const done = process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
process.stdout.write(
  JSON.stringify({
    plugins: routes.length,
    synthMs: ms(loaded, done),
    processMs: ms(started, done),
    maxRssKb: process.resourceUsage().maxRSS,
    jsonBytes: readFileSync(path.join(outdir, "stacks", "load", "cdk.tf.json")).length,
  }),
);
