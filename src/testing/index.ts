/**
 * `cdktf-kong-gateway/testing`: an offline Kong Admin API for tests, and Kong's own plugin
 * validation rules re-implemented independently of the library.
 */
export { KongEmulator } from "./emulator.js";
export type {
  EmulatorStats,
  FailureSpec,
  FaultKind,
  KongEmulatorOptions,
  KongEntity,
  KongFaultControls,
  KongPluginEntity,
  KongRouteInput,
  KongServiceInput,
  MalformedKind,
  RandomFaultOptions,
  RecordedRequest,
} from "./types.js";
export { checkPluginBody, validateSessionPlugin, type KongSchemaOptions, type PluginCheck } from "./kong-schema.js";
export { KONG_ERROR_CODES, type KongErrorBody } from "./kong-errors.js";
export { ENTITY_NAMES, type EntityName } from "./entity-schemas.js";
export { findTerraform, TerraformWorkdir, type TerraformResult, type TerraformWorkdirOptions } from "./terraform.js";
export { maskRuntimeAssetHash } from "./snapshot.js";
export { kongBodies, type KongBodies, type KongEntityBody, type KongPluginBody } from "./bodies.js";
export { kongMatchers, type KongMatcherContext, type KongMatcherResult, type KongMatchers } from "./matchers.js";
