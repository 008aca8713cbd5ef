// Reference program for the benchmarks: the same GET and PUT as undici-get-put.ts with Node's
// built-in http client (C parser, no WebAssembly), the floor of any HTTP client in Node.
import * as http from "node:http";

function call(agent: http.Agent, url: URL, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, method, path, headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.KONG_CDKTF_REQUEST ?? "{}") as { pluginId: string; serverUrl: string; payload: unknown };
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(input.serverUrl);
  const path = `/plugins/${input.pluginId}`;
  const got = await call(agent, url, "GET", path);
  const put = await call(agent, url, "PUT", path, JSON.stringify(input.payload));
  process.stdout.write(`reference: ${got} ${put}\n`);
  agent.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
