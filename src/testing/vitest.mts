/**
 * `cdktf-kong-gateway/testing/vitest`: imported by a test file (or named in `setupFiles`), adds
 * `toHaveKongPlugin` and `toHaveKongEntity` to vitest's `expect`, with their types.
 *
 * @example
 * import "cdktf-kong-gateway/testing/vitest";
 * expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 60 } });
 */
import { expect } from "vitest";
import { kongMatchers, type KongMatchers } from "./matchers.js";

expect.extend(kongMatchers);

declare module "vitest" {
  interface Matchers<T = any> extends KongMatchers<T> {}
}
