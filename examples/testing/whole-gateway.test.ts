// Matchers and a snapshot of the Kong bodies a stack sends, in vitest. Copy and adapt.
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { kongBodies } from "cdktf-kong-gateway/testing";
import "cdktf-kong-gateway/testing/vitest"; // adds expect(stack).toHaveKongPlugin(…) and toHaveKongEntity(…)
import { WholeGatewayStack } from "../whole-gateway/main";

describe("WholeGatewayStack", () => {
  const stack = new WholeGatewayStack(Testing.app(), "gateway");

  it("routes /orders to the orders service, behind key-auth and a rate limit", () => {
    // Kong's names, as the Admin API receives them; a construct stands for { id: … }
    expect(stack).toHaveKongEntity("Route", { name: "orders-api", paths: ["/orders"], service: stack.orders });
    expect(stack).toHaveKongPlugin("key-auth", { route: stack.ordersRoute, config: { hide_credentials: true } });
    expect(stack).toHaveKongPlugin("rate-limiting", { service: stack.orders, config: { minute: 60, limit_by: expect.any(String) } });
    expect(stack).not.toHaveKongPlugin("cors", { route: stack.ordersRoute });
  });

  it("takes the consumer's key from a sensitive variable", () => {
    expect(stack).toHaveKongEntity("KeyAuth", { key: "(secret from ${var.mobile_app_key})" });
  });

  it("sends Kong these bodies", () => {
    // one line of this snapshot changes when one field does
    expect(kongBodies(stack)).toMatchSnapshot();
  });
});
