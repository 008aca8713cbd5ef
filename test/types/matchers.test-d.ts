/**
 * The types `cdktf-kong-gateway/testing/vitest` adds to vitest's `expect`, and those of `kongBodies`.
 * Checked by `vitest --typecheck` (nothing here runs).
 */
import type { TerraformStack } from "cdktf";
import { describe, expect, expectTypeOf, it } from "vitest";
import { kongBodies, kongMatchers, type KongBodies, type KongMatchers } from "cdktf-kong-gateway/testing";
import "cdktf-kong-gateway/testing/vitest";

declare const stack: TerraformStack;

describe("the matchers' types", () => {
  it("adds toHaveKongPlugin and toHaveKongEntity to vitest's assertions, .not included", () => {
    expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 5 } });
    expect(stack).not.toHaveKongEntity("Route");
    // @ts-expect-error the plugin's name is required
    expect(stack).toHaveKongPlugin();
    // @ts-expect-error the partial body is an object
    expect(stack).toHaveKongEntity("Route", 5);
    expectTypeOf(kongMatchers.toHaveKongPlugin).parameters.toEqualTypeOf<[received: unknown, name: string, partial?: Record<string, unknown>]>();
    expectTypeOf<KongMatchers<void>["toHaveKongEntity"]>().returns.toEqualTypeOf<void>();
  });

  it("types kongBodies' result", () => {
    expectTypeOf(kongBodies(stack)).toEqualTypeOf<KongBodies>();
    expectTypeOf(kongBodies(stack).plugins[0]!.body).toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf(kongBodies(stack).entities[0]!.kind).toEqualTypeOf<string>();
  });
});
