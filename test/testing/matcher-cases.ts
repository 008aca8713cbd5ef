/**
 * Failing uses of the matchers, shared by the vitest suite and the jest run (test/testing/jest-fixtures),
 * so that both runners are held to the same messages.
 */
import type { WholeGatewayStack } from "../../examples/whole-gateway/main";

type Expect = (actual: unknown) => any;
type AsymmetricExpect = Expect & { any(type: unknown): unknown };

export const FAILING_CASES: Record<string, (expect: AsymmetricExpect, stack: WholeGatewayStack) => void> = {
  "a plugin whose config differs": (expect, stack) => expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 5, policy: "redis" } }),
  "an asymmetric matcher that fails": (expect, stack) => expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: expect.any(String) } }),
  "a plugin the stack lacks": (expect, stack) => expect(stack).toHaveKongPlugin("acl"),
  "a plugin on another route": (expect, stack) => expect(stack).toHaveKongPlugin("cors", { route: stack.ordersRoute }),
  ".not, and the plugin is there": (expect, stack) => expect(stack).not.toHaveKongPlugin("rate-limiting", { config: { minute: 60 } }),
  ".not without a partial": (expect, stack) => expect(stack).not.toHaveKongPlugin("session"),
  "an entity whose list differs": (expect, stack) => expect(stack).toHaveKongEntity("Route", { methods: ["GET"] }),
  "an entity by Kong's DAO name, its secret masked": (expect, stack) => expect(stack).toHaveKongEntity("keyauth_credentials", { key: "the-key" }),
  "an entity kind the stack lacks": (expect, stack) => expect(stack).toHaveKongEntity("Upstream"),
  ".not, and the entity is there": (expect, stack) => expect(stack).not.toHaveKongEntity("Service", { name: "orders" }),
};

/** The message each failing case throws (or "(passed)"). */
export function failureMessages(expect: AsymmetricExpect, stack: WholeGatewayStack): Record<string, string> {
  return Object.fromEntries(
    Object.entries(FAILING_CASES).map(([name, run]) => {
      try {
        run(expect, stack);
        return [name, "(passed)"];
      } catch (error) {
        return [name, (error as Error).message];
      }
    }),
  );
}
