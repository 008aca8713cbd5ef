/**
 * The program as Terraform runs it: bundled into one file, started with `node`, input from the
 * environment, talking HTTP to a (stub) Admin API; exit code and output checked.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ENV, REQUEST_VERSION } from "../../src/runtime/contract.js";
import { ID, OWNER, SECRET, TOKEN } from "./helpers.js";

let dir: string;
let program: string;
let server: Server;
let serverUrl: string;
const plugins = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kong-session-"));
  program = join(dir, "kong-session.cjs");
  await build({
    entryPoints: [join(__dirname, "../../src/runtime/main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: program,
    logLevel: "silent",
  });
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.headers["kong-admin-token"] !== TOKEN) {
        res.statusCode = 401;
        res.end(JSON.stringify({ message: "Invalid RBAC credentials" }));
        return;
      }
      const id = decodeURIComponent(req.url!.split("/").pop()!);
      const live = plugins.get(id);
      if (req.method === "GET") {
        res.statusCode = live ? 200 : 404;
        res.end(JSON.stringify(live ?? { message: "Not found" }));
      } else if (req.method === "PUT") {
        const stored = { id, created_at: 1700000000, updated_at: 1700000001, ...(JSON.parse(body) as object) };
        plugins.set(id, stored);
        res.end(JSON.stringify(stored));
      } else {
        plugins.delete(id);
        res.statusCode = 204;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function runProgram(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [program, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("applies, re-applies and deletes a plugin, exiting 0", async () => {
  const request = JSON.stringify({
    version: REQUEST_VERSION,
    pluginId: ID,
    serverUrl,
    owner: OWNER,
    payload: { name: "session", config: { cookie_name: "sid", secret: SECRET } },
  });
  const apply = { [ENV.adminToken]: TOKEN, [ENV.request]: request, KONG_CDKTF_DEBUG: "1" };

  const created = await runProgram(["apply"], apply);
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(new RegExp(`^kong: created session plugin ${ID} \\(default workspace\\) in \\d+ ms\\n$`));
  expect(created.stderr).not.toContain(SECRET);
  expect(created.stderr).not.toContain(TOKEN);
  expect(created.stderr).toContain("kong: debug: PUT");

  const again = await runProgram(["apply"], { ...apply, KONG_CDKTF_DEBUG: "" });
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/ unchanged \(default workspace\) in \d+ ms\n$/);
  expect(again.stderr).toBe("");

  const deleted = await runProgram(["delete"], { [ENV.adminToken]: TOKEN, [ENV.pluginId]: ID, [ENV.serverUrl]: serverUrl, [ENV.owner]: OWNER });
  expect(deleted.code).toBe(0);
  expect(deleted.stdout).toMatch(/^kong: deleted session plugin /);
  expect(plugins.has(ID)).toBe(false);
}, 30_000);

test("fails with a non-zero exit code when the token is wrong", async () => {
  const out = await runProgram(["delete"], { [ENV.adminToken]: "wrong-token-value", [ENV.pluginId]: ID, [ENV.serverUrl]: serverUrl });

  expect(out.code).toBe(1);
  expect(out.stdout).toBe("");
  expect(out.stderr).toMatch(/^kong: error KONG_UNAUTHORIZED: kong rejected the admin token/);
  expect(out.stderr).not.toContain("wrong-token-value");
}, 30_000);

test("fails with exit code 2 without an action", async () => {
  const out = await runProgram([], {});

  expect(out.code).toBe(2);
}, 30_000);
