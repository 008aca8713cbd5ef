import { it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
it("probe", async () => {
  const kong = await KongEmulator.start({ version: "3.9.1", edition: "community", adminToken: "t" });
  const h = { "content-type": "application/json", "kong-admin-token": "t" };
  let r = await fetch(`${kong.url}/consumers`, { method: "POST", headers: h, body: JSON.stringify({ username: "other" }) });
  console.log(r.status, await r.text());
  r = await fetch(`${kong.url}/consumers/other/key-auths`, { method: "POST", headers: h, body: JSON.stringify({ key: "abc" }) });
  console.log(r.status, await r.text());
  r = await fetch(`${kong.url}/key-auths`, { method: "POST", headers: h, body: JSON.stringify({ key: "abcd", consumer: {username: "other"} }) });
  console.log(r.status, await r.text());
  kong.stop();
});
