// `npm run synth`: synthesizes the example app of cdktf.json into cdktf.out/ without a global cdktf CLI.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { app } = JSON.parse(readFileSync(new URL("../cdktf.json", import.meta.url), "utf8"));
const entry = app.replace(/^npx tsx /, "");
execFileSync(process.execPath, ["--import", "tsx", entry], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, CDKTF_OUTDIR: process.env.CDKTF_OUTDIR ?? "cdktf.out" },
});
console.log(`synthesized ${entry} into ${process.env.CDKTF_OUTDIR ?? "cdktf.out"}/`);
