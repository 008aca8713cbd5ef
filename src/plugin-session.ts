import type { Construct } from "constructs";
import { isUnresolved } from "./internal/tokens.js";
import type { KongGatewayProvider } from "./kong-gateway-provider.js";
import { KongPluginConstruct } from "./kong-plugin.js";
import { loadPluginFacts } from "./schema/generated/catalog.js";
import { validateAttributes, type PluginSessionAttributes } from "./schema/index.js";
import { PluginSessionValidationError } from "./schema/validate.js";

export { derivedId } from "./internal/plugin-resources.js";

export interface PluginSessionProps extends PluginSessionAttributes {
  /**
   * The Kong Admin API the plugin lives in.
   *
   * @default - the only `KongGatewayProvider` of the stack
   */
  readonly provider?: KongGatewayProvider;
}

/**
 * Kong Gateway's session plugin (`kong-gateway_plugin_session`), validated at synth and provisioned
 * through the Kong Admin API at apply.
 *
 * Its rules are hand-verified against Kong's source (`kong/plugins/session/schema.lua`); the
 * generated facts of the session plugin add what the provider's Kong version and edition lack.
 *
 * @example
 * new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" });
 * new PluginSession(stack, "session", { config: { cookieName: "sid", cookieSameSite: "Lax" } });
 */
export class PluginSession extends KongPluginConstruct {
  constructor(scope: Construct, id: string, props: PluginSessionProps = {}) {
    super(scope, id, props, () => {
      const result = validateAttributes(props, isUnresolved);
      return {
        name: "session",
        facts: loadPluginFacts("session")!,
        converted: { body: result.payload, issues: [...result.issues] },
        ownRules: true,
        error: PluginSessionValidationError,
      };
    });
  }
}
