// Reference program for the benchmarks: what any apply-time program built on undici pays, and no
// more. It reads the request the synthesized stack gives the real program, then GETs and PUTs the
// plugin with undici's Agent and request (the same modules the real program loads), with no schema,
// retries or error handling. Built and run exactly as dist/kong-session.cjs (same loader and cache).
const Agent = require("undici/lib/dispatcher/agent.js");
const request = require("undici/lib/api/api-request.js");

async function main(): Promise<void> {
  const input = JSON.parse(process.env.KONG_CDKTF_REQUEST ?? "{}") as { pluginId: string; serverUrl: string; payload: unknown };
  const agent = new Agent({ connect: {} });
  const path = `/plugins/${input.pluginId}`;
  const got = await request.call(agent, { origin: input.serverUrl, path, method: "GET", headers: { accept: "application/json" } });
  await got.body.text();
  const put = await request.call(agent, {
    origin: input.serverUrl,
    path,
    method: "PUT",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(input.payload),
  });
  await put.body.text();
  process.stdout.write(`reference: ${got.statusCode} ${put.statusCode}\n`);
  await agent.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
