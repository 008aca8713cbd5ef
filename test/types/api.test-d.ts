/**
 * The public types: `PluginSessionProps` has exactly the documented attributes (+ `condition`,
 * `provider`), and what cdktf's generated binding of `kong-gateway_plugin_session` accepts is accepted
 * here unchanged. Checked by `vitest --typecheck` (nothing here runs).
 */
import { Token, TerraformVariable, type IResolvable, type TerraformStack } from "cdktf";
import { describe, expectTypeOf, it } from "vitest";
import {
  PluginSession,
  PluginSessionValidationError,
  formatValidationIssues,
  pluginSessionConfigJsonSchema,
  pluginSessionJsonSchema,
  validatePluginSession,
  type CookieSameSite,
  type KongGatewayProvider,
  type PluginSessionAttributes,
  type PluginSessionConfig,
  type PluginSessionProps,
  type Resolvable,
  type SessionStorage,
  type ValidationIssue,
} from "../../src/index.js";

/**
 * The shapes cdktf generates for `kong-gateway_plugin_session` (`cdktf get`), without
 * `TerraformMetaArguments`: nested attributes are interfaces, booleans `boolean | IResolvable`,
 * lists of records `T[] | IResolvable`, every string and list of strings plain `string`/`string[]`.
 */
interface GeneratedPluginSessionConfigA {
  readonly absoluteTimeout?: number;
  readonly audience?: string;
  readonly bind?: string[];
  readonly cookieDomain?: string;
  readonly cookieHttpOnly?: boolean | IResolvable;
  readonly cookieName?: string;
  readonly cookiePath?: string;
  readonly cookieSameSite?: string;
  readonly cookieSecure?: boolean | IResolvable;
  readonly hashSubject?: boolean | IResolvable;
  readonly idlingTimeout?: number;
  readonly logoutMethods?: string[];
  readonly logoutPostArg?: string;
  readonly logoutQueryArg?: string;
  readonly readBodyForLogout?: boolean | IResolvable;
  readonly remember?: boolean | IResolvable;
  readonly rememberAbsoluteTimeout?: number;
  readonly rememberCookieName?: string;
  readonly rememberRollingTimeout?: number;
  readonly requestHeaders?: string[];
  readonly responseHeaders?: string[];
  readonly rollingTimeout?: number;
  readonly secret?: string;
  readonly staleTtl?: number;
  readonly storage?: string;
  readonly storeMetadata?: boolean | IResolvable;
}
interface GeneratedPluginSessionOrderingAfter {
  readonly access?: string[];
}
interface GeneratedPluginSessionOrderingBefore {
  readonly access?: string[];
}
interface GeneratedPluginSessionOrdering {
  readonly after?: GeneratedPluginSessionOrderingAfter;
  readonly before?: GeneratedPluginSessionOrderingBefore;
}
interface GeneratedPluginSessionPartials {
  readonly id?: string;
  readonly name?: string;
  readonly path?: string;
}
interface GeneratedPluginSessionRoute {
  readonly id?: string;
}
interface GeneratedPluginSessionService {
  readonly id?: string;
}
interface GeneratedPluginSessionConfig {
  readonly config?: GeneratedPluginSessionConfigA;
  readonly createdAt?: number;
  readonly enabled?: boolean | IResolvable;
  readonly id?: string;
  readonly instanceName?: string;
  readonly ordering?: GeneratedPluginSessionOrdering;
  readonly partials?: GeneratedPluginSessionPartials[] | IResolvable;
  readonly protocols?: string[];
  readonly route?: GeneratedPluginSessionRoute;
  readonly service?: GeneratedPluginSessionService;
  readonly tags?: string[];
  readonly updatedAt?: number;
  readonly workspace?: string;
}

type DocumentedAttribute =
  | "config"
  | "createdAt"
  | "enabled"
  | "id"
  | "instanceName"
  | "ordering"
  | "partials"
  | "protocols"
  | "route"
  | "service"
  | "tags"
  | "updatedAt"
  | "workspace";

type ConfigAttribute =
  | "absoluteTimeout"
  | "audience"
  | "bind"
  | "cookieDomain"
  | "cookieHttpOnly"
  | "cookieName"
  | "cookiePath"
  | "cookieSameSite"
  | "cookieSecure"
  | "hashSubject"
  | "idlingTimeout"
  | "logoutMethods"
  | "logoutPostArg"
  | "logoutQueryArg"
  | "readBodyForLogout"
  | "remember"
  | "rememberAbsoluteTimeout"
  | "rememberCookieName"
  | "rememberRollingTimeout"
  | "requestHeaders"
  | "responseHeaders"
  | "rollingTimeout"
  | "secret"
  | "staleTtl"
  | "storage"
  | "storeMetadata";

describe("PluginSessionProps", () => {
  it("has exactly the documented attributes, condition and provider", () => {
    expectTypeOf<keyof PluginSessionProps>().toEqualTypeOf<DocumentedAttribute | "condition" | "provider">();
    expectTypeOf<keyof PluginSessionAttributes>().toEqualTypeOf<DocumentedAttribute | "condition">();
    expectTypeOf<keyof GeneratedPluginSessionConfig>().toEqualTypeOf<DocumentedAttribute>();
  });

  it("has exactly the 26 config attributes", () => {
    expectTypeOf<keyof PluginSessionConfig>().toEqualTypeOf<ConfigAttribute>();
    expectTypeOf<keyof GeneratedPluginSessionConfigA>().toEqualTypeOf<ConfigAttribute>();
  });

  it("makes every prop optional", () => {
    expectTypeOf({}).toExtend<PluginSessionProps>();
    expectTypeOf({ config: {} }).toExtend<PluginSessionProps>();
  });

  it("takes a KongGatewayProvider as provider", () => {
    expectTypeOf<PluginSessionProps["provider"]>().toEqualTypeOf<KongGatewayProvider | undefined>();
  });

  it("accepts whatever cdktf's generated binding accepts", () => {
    expectTypeOf<GeneratedPluginSessionConfig>().toExtend<PluginSessionProps>();
    expectTypeOf<GeneratedPluginSessionConfig>().toExtend<PluginSessionAttributes>();
    expectTypeOf<GeneratedPluginSessionConfigA>().toExtend<PluginSessionConfig>();
    expectTypeOf<IResolvable>().toExtend<Resolvable>();
  });

  it("accepts the reference page's example as an object literal", () => {
    const props: PluginSessionProps = {
      config: {
        absoluteTimeout: 3.79,
        audience: "...my_audience...",
        bind: ["scheme"],
        cookieDomain: "...my_cookie_domain...",
        cookieHttpOnly: false,
        cookieName: "...my_cookie_name...",
        cookiePath: "...my_cookie_path...",
        cookieSameSite: "Strict",
        cookieSecure: false,
        hashSubject: true,
        idlingTimeout: 0.19,
        logoutMethods: ["GET"],
        logoutPostArg: "...my_logout_post_arg...",
        logoutQueryArg: "...my_logout_query_arg...",
        readBodyForLogout: false,
        remember: false,
        rememberAbsoluteTimeout: 4.46,
        rememberCookieName: "...my_remember_cookie_name...",
        rememberRollingTimeout: 6.15,
        requestHeaders: ["id"],
        responseHeaders: ["subject"],
        rollingTimeout: 8.85,
        secret: "...my_secret...",
        staleTtl: 7.29,
        storage: "cookie",
        storeMetadata: true,
      },
      createdAt: 1,
      enabled: false,
      id: "...my_id...",
      instanceName: "...my_instance_name...",
      ordering: { after: { access: ["..."] }, before: { access: ["..."] } },
      partials: [{ id: "...my_id...", name: "...my_name...", path: "...my_path..." }],
      protocols: ["wss"],
      route: { id: "...my_id..." },
      service: { id: "...my_id..." },
      tags: ["..."],
      updatedAt: 4,
      workspace: "747d1e5-8246-4f65-a939-b392f1ee17f8",
    };
    expectTypeOf(props).toEqualTypeOf<PluginSessionProps>();
  });

  it("accepts tokens wherever the generated binding does", () => {
    const construct = (stack: TerraformStack) => {
      const text = new TerraformVariable(stack, "text", { type: "string" }).stringValue;
      const flag = new TerraformVariable(stack, "flag", { type: "bool" }).booleanValue;
      const count = new TerraformVariable(stack, "count", { type: "number" }).numberValue;
      const list = new TerraformVariable(stack, "list", { type: "list(string)" }).listValue;
      return new PluginSession(stack, "session", {
        id: text,
        enabled: flag,
        protocols: list,
        tags: Token.asList(text),
        partials: Token.asAny(text),
        route: { id: text },
        condition: text,
        config: {
          cookieSameSite: text,
          storage: text,
          logoutMethods: list,
          bind: list,
          requestHeaders: [text],
          cookieSecure: flag,
          cookieHttpOnly: flag,
          remember: flag,
          idlingTimeout: count,
          rollingTimeout: Token.asNumber(text),
          secret: text,
        },
      });
    };
    expectTypeOf(construct).returns.toEqualTypeOf<PluginSession>();
  });

  it("offers Kong's values for enum-like strings but takes any string", () => {
    expectTypeOf<CookieSameSite>().toEqualTypeOf<"Strict" | "Lax" | "None" | "Default">();
    expectTypeOf<SessionStorage>().toEqualTypeOf<"cookie" | "kong">();
    expectTypeOf<"Lax">().toExtend<NonNullable<PluginSessionConfig["cookieSameSite"]>>();
    expectTypeOf<string>().toExtend<NonNullable<PluginSessionConfig["cookieSameSite"]>>();
    expectTypeOf<string[]>().toExtend<NonNullable<PluginSessionProps["protocols"]>>();
  });

  it("rejects wrong types and unknown props", () => {
    // @ts-expect-error cookieName is a string
    const wrongName: PluginSessionProps = { config: { cookieName: 1 } };
    // @ts-expect-error cookieNmae is not a config attribute
    const typo: PluginSessionProps = { config: { cookieNmae: "sid" } };
    // @ts-expect-error protocol is not an attribute (protocols is)
    const unknown: PluginSessionProps = { protocol: ["https"] };
    // @ts-expect-error enabled is a boolean
    const wrongEnabled: PluginSessionProps = { enabled: "yes" };
    // @ts-expect-error idlingTimeout is a number
    const wrongTimeout: PluginSessionProps = { config: { idlingTimeout: "900" } };
    // @ts-expect-error protocols is a list
    const wrongProtocols: PluginSessionProps = { protocols: "https" };
    // @ts-expect-error tags are strings
    const wrongTags: PluginSessionProps = { tags: [1] };
    // @ts-expect-error route is a record
    const wrongRoute: PluginSessionProps = { route: "3473c251-5b6c-4f45-b1ff-7ede735a366d" };
    // @ts-expect-error partials is a list of records
    const wrongPartials: PluginSessionProps = { partials: { id: "x" } };
    // @ts-expect-error cookieSecure is a boolean or a token
    const wrongSecure: PluginSessionProps = { config: { cookieSecure: "true" } };
    // @ts-expect-error name is always "session" and not a prop
    const withName: PluginSessionProps = { name: "session" };
    // @ts-expect-error provider is a KongGatewayProvider
    const wrongProvider: PluginSessionProps = { provider: { serverUrl: "http://localhost:8001" } };
    void [wrongName, typo, unknown, wrongEnabled, wrongTimeout, wrongProtocols, wrongTags, wrongRoute, wrongPartials, wrongSecure, withName, wrongProvider];
  });
});

describe("PluginSession", () => {
  it("exposes the plugin id as a string", () => {
    expectTypeOf<PluginSession["pluginId"]>().toEqualTypeOf<string>();
  });

  it("takes a scope, an id and optional props", () => {
    expectTypeOf(PluginSession).constructorParameters.toExtend<[unknown, string, PluginSessionProps?]>();
    expectTypeOf<ConstructorParameters<typeof PluginSession>[2]>().toEqualTypeOf<PluginSessionProps | undefined>();
  });
});

describe("validation API", () => {
  it("validatePluginSession takes the attributes and tells success apart", () => {
    expectTypeOf(validatePluginSession).parameter(0).toEqualTypeOf<PluginSessionAttributes>();
    const result = validatePluginSession({});
    if (result.success) {
      expectTypeOf(result.issues).toEqualTypeOf<readonly []>();
    } else {
      expectTypeOf(result.issues).toEqualTypeOf<readonly ValidationIssue[]>();
    }
    expectTypeOf(result.payload).toEqualTypeOf<Record<string, unknown>>();
  });

  it("issues carry a literal code, both paths, the value and the message", () => {
    expectTypeOf<ValidationIssue["code"]>().toEqualTypeOf<"invalid_value" | "unknown_field" | "conflict" | "unavailable">();
    expectTypeOf<ValidationIssue["propPath"]>().toEqualTypeOf<string>();
    expectTypeOf<ValidationIssue["kongPath"]>().toEqualTypeOf<ReadonlyArray<string | number>>();
    expectTypeOf<ValidationIssue["value"]>().toEqualTypeOf<unknown>();
    expectTypeOf<ValidationIssue["message"]>().toEqualTypeOf<string>();
    expectTypeOf<ValidationIssue["hint"]>().toEqualTypeOf<string | undefined>();
  });

  it("the error has a stable literal code", () => {
    expectTypeOf<PluginSessionValidationError["code"]>().toEqualTypeOf<"KONG_CDKTF_INVALID_CONFIG">();
    expectTypeOf<PluginSessionValidationError>().toExtend<Error>();
    expectTypeOf(formatValidationIssues).parameters.toEqualTypeOf<[subject: string, issues: readonly ValidationIssue[]]>();
    expectTypeOf(formatValidationIssues).returns.toEqualTypeOf<string>();
  });

  it("the JSON Schemas are plain objects", () => {
    expectTypeOf(pluginSessionJsonSchema).returns.toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf(pluginSessionConfigJsonSchema).returns.toEqualTypeOf<Record<string, unknown>>();
  });
});
