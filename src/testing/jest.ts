/**
 * `cdktf-kong-gateway/testing/jest`: imported by a setup file of `setupFilesAfterEnv` (beside cdktf's
 * `Testing.setupJest()`) or by a test file, adds `toHaveKongPlugin` and `toHaveKongEntity` to jest's
 * global `expect`, with their types (on `jest.Matchers`, where `@types/jest` and cdktf declare theirs).
 *
 * @example
 * import "cdktf-kong-gateway/testing/jest";
 * expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 60 } });
 */
import { kongMatchers, type KongMatchers } from "./matchers.js";

declare global {
  namespace jest {
    // the type parameters of @types/jest's declaration, which this one merges with
    interface Matchers<R, T = {}> extends KongMatchers<R> {}
  }
}

const expect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
if (typeof expect?.extend !== "function") {
  throw new Error("cdktf-kong-gateway/testing/jest needs jest's global expect: import it from a file of setupFilesAfterEnv, or from a test file");
}
expect.extend(kongMatchers);
