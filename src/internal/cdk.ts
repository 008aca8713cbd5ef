/**
 * The one module that imports CDK for Terraform (`cdktf`) and its null provider binding: every other
 * file takes them from here, so that moving to the fork CDK Terrain (`cdktn`) changes this file only.
 */
export {
  Annotations,
  AssetType,
  DataResource,
  Fn,
  Lazy,
  TerraformAsset,
  TerraformLocal,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  type IResolvable,
  type ITerraformDependable,
  type LocalExecProvisioner,
} from "cdktf";
export { NullProvider } from "@cdktf/provider-null/lib/provider";
export { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
