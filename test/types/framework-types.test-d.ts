/**
 * The properties that hold Terraform resources are typed structurally (the published declarations
 * name neither cdktf nor cdktn): cdktf's classes are assignable to them, and they are assignable to
 * what cdktf's own constructs take (`dependsOn`). test/e2e/frameworks.e2e.test.ts checks the same of
 * cdktn's in a cdktn app. Checked by `vitest --typecheck` (nothing here runs).
 */
import type { DataResource as CdktfDataResource, ITerraformDependable, TerraformElement, TerraformProvider as CdktfProvider, TerraformResource as CdktfResource } from "cdktf";
import { describe, expectTypeOf, it } from "vitest";
import type { KongGatewayProvider, PluginCors } from "../../src/index.js";
import type { DataResource, NullResource, TerraformProvider } from "../../src/internal/cdk.js";

describe("the library's resource properties", () => {
  it("are what cdktf's classes are", () => {
    expectTypeOf<CdktfDataResource>().toMatchTypeOf<DataResource>();
    expectTypeOf<CdktfResource & { readonly id: string }>().toMatchTypeOf<NullResource>();
    expectTypeOf<CdktfProvider>().toMatchTypeOf<TerraformProvider>();
  });

  it("go into cdktf's dependsOn", () => {
    expectTypeOf<PluginCors["configResource"]>().toMatchTypeOf<ITerraformDependable>();
    expectTypeOf<KongGatewayProvider["reaper"]>().toMatchTypeOf<ITerraformDependable>();
    expectTypeOf<NonNullable<KongGatewayProvider["ownerResource"]>>().toMatchTypeOf<ITerraformDependable>();
  });

  it("are typed, not any", () => {
    expectTypeOf<PluginCors["configResource"]>().not.toBeAny();
    expectTypeOf<PluginCors["configResource"]["fqn"]>().toEqualTypeOf<string>();
    expectTypeOf<PluginCors["configResource"]>().not.toMatchTypeOf<TerraformElement>(); // not cdktf's class: structural
  });
});
