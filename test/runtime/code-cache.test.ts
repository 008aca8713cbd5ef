/**
 * The loader of the built program (scripts/runtime-loader.cjs): the program runs the same with a
 * missing, valid, stale or corrupt V8 code cache, and the cache is only read from and written to a
 * private directory of the user's own.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ENV } from "../../src/runtime/contract.js";
import { ID } from "./helpers.js";

const root = join(__dirname, "../..");
const posix = typeof process.getuid === "function";
let dir: string;
let program: string;
let server: Server;
let serverUrl: string;
let temp: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kong-session-loader-"));
  program = join(dir, "kong-session.cjs");
  const { buildRuntime } = (await import(pathToFileURL(join(root, "scripts/build-runtime.mjs")).href)) as {
    buildRuntime: (o: { root: string; outfile: string }) => Promise<unknown>;
  };
  await buildRuntime({ root, outfile: program });
  // a Kong without the plugin: `delete` reads it and reports it absent
  server = createServer((req, res) => {
    req.resume();
    res.statusCode = 404;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ message: "Not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  temp = mkdtempSync(join(dir, "tmp-"));
});

function runDelete(tmp = temp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? "", TMPDIR: tmp, [ENV.pluginId]: ID, [ENV.serverUrl]: serverUrl };
    const child = spawn(process.execPath, [program, "delete"], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const cacheDir = () => join(temp, `kong-cdktf-gateway-${process.getuid!()}`);
const cacheFiles = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()) : []);

function expectDeleted(out: { code: number | null; stdout: string; stderr: string }): void {
  expect(out.stderr).toBe("");
  expect(out.code).toBe(0);
  expect(out.stdout).toBe(`kong: session plugin ${ID} already absent (default workspace)\n`);
}

describe.skipIf(!posix)("the V8 code cache", () => {
  test("is written by the first run into a private directory and read by the next", async () => {
    expectDeleted(await runDelete());

    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version}-${process.arch}-delete\\.v8cache$`));
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const file = join(cacheDir(), files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file).mtimeMs;

    expectDeleted(await runDelete());
    expect(statSync(file).mtimeMs).toBe(written); // accepted, not written again
  });

  test("a corrupt cache is ignored and replaced", async () => {
    expectDeleted(await runDelete());
    const file = join(cacheDir(), cacheFiles()[0]!);
    writeFileSync(file, Buffer.from("not a V8 code cache"));

    expectDeleted(await runDelete());
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  test("is neither read nor written in a directory that others can write to", async () => {
    mkdirSync(cacheDir(), { mode: 0o700 });
    chmodSync(cacheDir(), 0o777);

    expectDeleted(await runDelete());
    expect(cacheFiles()).toEqual([]);
  });

  test("is not used through a symbolic link", async () => {
    const elsewhere = mkdtempSync(join(dir, "elsewhere-"));
    chmodSync(elsewhere, 0o700);
    symlinkSync(elsewhere, cacheDir());

    expectDeleted(await runDelete());
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  test("fails to nothing when the temp directory cannot be written", async () => {
    const file = join(temp, "not-a-directory");
    writeFileSync(file, "");

    expectDeleted(await runDelete(file));
  });
});

test("the program runs when required rather than started, without a cache", async () => {
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const script = `require(${JSON.stringify(program)}).run(["delete"], { ${ENV.pluginId}: ${JSON.stringify(ID)}, ${ENV.serverUrl}: ${JSON.stringify(serverUrl)} }, { stdout: process.stdout, stderr: process.stderr }).then((code) => { process.exitCode = code; });`;
    const child = spawn(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", TMPDIR: temp } });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });

  expect(out.code).toBe(0);
  expect(out.stdout).toBe(`kong: session plugin ${ID} already absent (default workspace)\n`);
  expect(posix ? cacheFiles() : []).toEqual([]);
});
