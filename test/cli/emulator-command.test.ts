/**
 * `kong-gateway-cdktf emulator`, spawned from the build (dist/cli/main.js, `node scripts/build.mjs`
 * first): the ready line, real requests, a clean exit on SIGTERM and SIGINT, the usage errors and a
 * port in use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import * as path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";

const ROOT = path.resolve(__dirname, "..", "..");
const BUILT = path.join(ROOT, "dist", "cli", "main.js");
const READY = /^kong emulator \((oss|enterprise) ([\d.]+)\) listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/;

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly line: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error("run `node scripts/build.mjs` first: this test spawns dist/cli/main.js");
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function spawnCli(args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; stdout: () => string; exit: Running["exit"] } {
  const child = spawn(process.execPath, [BUILT, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, stdout: () => stdout, exit };
}

/** Spawns the emulator and resolves once it printed its ready line. */
async function startCli(args: readonly string[], env?: Record<string, string>): Promise<Running> {
  const { child, stdout, exit } = spawnCli(args, env);
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      if (stdout().endsWith("\n")) resolve(stdout());
    });
    void exit.then((r) => reject(new Error(`exited ${r.code} before it was ready: ${r.stderr}`)));
  });
  const url = READY.exec(line)?.[3];
  if (!url) throw new Error(`unexpected ready line ${JSON.stringify(line)}`);
  return { child, url, line, exit };
}

async function json(url: string, method: "GET" | "POST", body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await request(url, { method, headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.statusCode, body: await res.body.json() };
}

describe("kong-gateway-cdktf emulator", () => {
  it("serves the Admin API until SIGTERM, then exits 0", async () => {
    const kong = await startCli(["emulator", "--port", "0", "--edition", "oss", "--kong-version", "3.9"]);
    expect(kong.line.replace(/:\d+\n$/, ":PORT\n")).toMatchInlineSnapshot(`
      "kong emulator (oss 3.9) listening on http://127.0.0.1:PORT
      "
    `);
    const root = await json(`${kong.url}/`, "GET");
    expect([root.status, root.body.version, root.body.edition]).toEqual([200, "3.9", "community"]);
    const created = await json(`${kong.url}/services`, "POST", { name: "orders", url: "http://orders.internal:8080" });
    expect([created.status, created.body.host, created.body.port]).toEqual([201, "orders.internal", 8080]);
    expect((await json(`${kong.url}/services/orders`, "GET")).body.id).toBe(created.body.id);
    kong.child.kill("SIGTERM");
    const exit = await kong.exit;
    expect([exit.code, exit.signal, exit.stderr]).toEqual([0, null, ""]);
  });

  it("stops on SIGINT and requires the token named by --admin-token-env", async () => {
    const kong = await startCli(["emulator", "--port", "0", "--admin-token-env", "EMU_TOKEN"], { EMU_TOKEN: "tok-123" });
    expect(READY.exec(kong.line)?.slice(1, 3)).toEqual(["enterprise", "3.9.1"]);
    expect((await json(`${kong.url}/services`, "GET")).status).toBe(401);
    expect((await json(`${kong.url}/services`, "GET", undefined, { "kong-admin-token": "tok-123" })).status).toBe(200);
    kong.child.kill("SIGINT");
    expect((await kong.exit).code).toBe(0);
  });

  it("fails when the port is in use", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const { exit } = spawnCli(["emulator", "--port", String(port)]);
      const result = await exit;
      expect(result.code).toBe(1);
      expect(result.stderr.replace(String(port), "PORT")).toMatchInlineSnapshot(`
        "error: port PORT on 127.0.0.1 is in use: stop what listens there, or pick another --port
        "
      `);
    } finally {
      server.close();
    }
  });

  it("fails when an option is bad", async () => {
    const cases: string[][] = [
      ["--port", "x"],
      ["--port", "70000"],
      ["--edition", "community"],
      ["--kong-version", "latest"],
      ["--kong-version", "3.9", "--version", "3.9"],
      ["--edition", "oss", "--workspace", "team-a"],
      ["--admin-token-env", "NOT_SET_ANYWHERE"],
      ["--prot", "1"],
      ["--port"],
      ["extra"],
    ];
    const messages: string[] = [];
    for (const args of cases) {
      const result = await spawnCli(["emulator", ...args]).exit;
      expect(result.code).toBe(1);
      messages.push(result.stderr);
    }
    expect(messages.join("")).toMatchInlineSnapshot(`
      "error: invalid --port "x": expected a number from 0 to 65535
      error: invalid --port "70000": expected a number from 0 to 65535
      error: invalid --edition "community": expected oss or enterprise
      error: invalid --kong-version "latest": expected a version like 3.9 or 3.9.1
      error: --kong-version and --version are the same option: give one
      error: --workspace needs --edition enterprise: workspaces exist only in Kong Enterprise
      error: --admin-token-env NOT_SET_ANYWHERE: the environment variable NOT_SET_ANYWHERE is not set or empty
      error: unknown option --prot for emulator: see kong-gateway-cdktf emulator --help
      error: option --port needs a value: see kong-gateway-cdktf emulator --help
      error: emulator takes no argument (got "extra"): see kong-gateway-cdktf emulator --help
      "
    `);
  });

  it("prints its help", async () => {
    const { exit, stdout } = spawnCli(["emulator", "--help"]);
    expect((await exit).code).toBe(0);
    expect(stdout()).toMatch(/^usage: kong-gateway-cdktf emulator \[--port N\]/);
  });
});
