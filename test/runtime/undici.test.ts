import { Agent, Dispatcher, MockAgent } from "undici";
import { expect, test } from "vitest";
import { loadAgent, loadRequest } from "../../src/runtime/undici.js";

test("the directly required undici modules are the ones undici exports", () => {
  expect(loadAgent()).toBe(Agent);
  expect(loadRequest()).toBe(Dispatcher.prototype.request);
});

test("the request function works on an injected dispatcher", async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get("http://x.test").intercept({ path: "/" }).reply(200, "ok");

  const response = await loadRequest().call(agent, { origin: "http://x.test", path: "/", method: "GET" });

  expect(response.statusCode).toBe(200);
  expect(await response.body.text()).toBe("ok");
  agent.assertNoPendingInterceptors();
  await agent.close();
});
