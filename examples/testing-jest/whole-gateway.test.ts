// Matchers and a snapshot of the Kong bodies a stack sends, in jest (describe, it and expect are its globals).
import "cdktf/lib/testing/adapters/jest"; // the types of cdktf's matchers, as cdktf's template imports them
import { DataResource, Testing } from "cdktf";
import { kongBodies } from "cdktf-kong-gateway/testing";
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

  it("writes every plugin and entity with one sync resource", () => {
    // cdktf's own matcher, on the synthesized JSON: one trigger per construct path
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DataResource, {
      triggers_replace: expect.objectContaining({ "gateway/orders_rate_limiting": expect.any(String) }),
    });
  });

  it("sends Kong these bodies", () => {
    // one line of this snapshot changes when one field does
    expect(kongBodies(stack)).toMatchSnapshot();
  });
});
