export { KongGatewayProvider, type KongGatewayProviderProps, type KongTlsOptions, type Backend } from "./kong-gateway-provider.js";
export { PluginSession, type PluginSessionProps } from "./plugin-session.js";
export { validatePluginSession, pluginSessionConfigJsonSchema, pluginSessionJsonSchema } from "./validate-plugin-session.js";
export type {
  PluginSessionAttributes,
  PluginSessionConfig,
  PluginSessionOrdering,
  PluginSessionOrderingPhase,
  PluginSessionPartials,
  PluginSessionRoute,
  KongPluginOrdering,
  KongPluginOrderingPhase,
  KongPluginPartial,
  PluginSessionService,
  CookieSameSite,
  SessionStorage,
  SessionHeader,
  LogoutMethod,
  SessionBind,
  PluginProtocol,
  OneOf,
  Resolvable,
} from "./schema/types.js";
export {
  PluginSessionValidationError,
  formatValidationIssues,
  type ValidationIssue,
} from "./schema/validate.js";
export {
  KongPlugin,
  KongPluginConstruct,
  type KongPluginProps,
  type KongPluginEntityProps,
  type KongEntityReference,
} from "./kong-plugin.js";
export { KongPluginValidationError } from "./schema/validate.js";
export * from "./plugins/generated/index.js";
export { KongEntityConstruct, type KongEntityProps } from "./kong-entity.js";
export { KongEntityValidationError } from "./schema/validate.js";
export * from "./entities/generated/index.js";
export { KongBestPractices, type KongBestPracticesProps, type KongRuleInfo, type KongRuleLevel, type KongSuppression } from "./policy/best-practices.js";
