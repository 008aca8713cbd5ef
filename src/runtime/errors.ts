/**
 * Typed errors of the apply-time program and the Admin API client.
 *
 * Every error has a stable literal `code` that scripts may match on; Kong's answer (status, method,
 * URL, body) rides along on API errors. A user's bad data, Kong's refusal and a failed transport are
 * different classes. Messages are lowercase, end without a period, and never hold the admin token or
 * a session secret: whoever builds one passes its text through a `Redactor` first.
 */

/** The code of an error Kong answered with. */
export type KongApiErrorCode =
  | "KONG_SCHEMA_VIOLATION"
  | "KONG_FOREIGN_KEY_VIOLATION"
  | "KONG_UNIQUE_VIOLATION"
  | "KONG_UNAUTHORIZED"
  | "KONG_FORBIDDEN"
  | "KONG_WORKSPACE_NOT_FOUND"
  | "KONG_HTTP_ERROR";

/** The code of a request that did not get an answer. */
export type KongTransportErrorCode = "KONG_CONNECTION_FAILED" | "KONG_TIMEOUT" | "KONG_DEADLINE_EXCEEDED" | "KONG_TLS_ERROR";

/** Every code an error of this library can have. */
export type KongErrorCode =
  | KongApiErrorCode
  | KongTransportErrorCode
  | "KONG_INVALID_RESPONSE"
  | "KONG_INVALID_REQUEST"
  | "KONG_OWNERSHIP_CONFLICT"
  | "KONG_CDKTF_INVALID_CONFIG";

/** The base class: a stable `code` and a message fit for a person reading a Terraform log. */
export class KongCdktfError extends Error {
  override name = "KongCdktfError";
  readonly code: KongErrorCode;

  constructor(code: KongErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Where a request went and what Kong answered. */
export interface KongApiErrorDetails {
  /** HTTP status of Kong's answer */
  readonly status: number;
  readonly method: string;
  /** the full URL (without any user info) */
  readonly url: string;
  /** Kong's answer: parsed JSON, or text; secrets replaced by `<redacted>` */
  readonly body: unknown;
  /** how many requests were made (more than 1 after retries) */
  readonly attempts?: number;
}

/** Kong answered with an error status. */
export class KongApiError extends KongCdktfError {
  override name = "KongApiError";
  declare readonly code: KongApiErrorCode;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly attempts: number;

  constructor(message: string, details: KongApiErrorDetails, code: KongApiErrorCode = "KONG_HTTP_ERROR") {
    super(code, message);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.body = details.body;
    this.attempts = details.attempts ?? 1;
  }
}

/** One field Kong rejected, in Kong's names and in the TypeScript props. */
export interface KongFieldViolation {
  /** e.g. `["config", "cookie_same_site"]`; `[]` for the whole entity */
  readonly kongPath: ReadonlyArray<string | number>;
  /** e.g. `config.cookieSameSite` */
  readonly propPath: string;
  /** Kong's words, e.g. `expected one of: Strict, Lax, None, Default` */
  readonly message: string;
}

/** 400, Kong code 2: the body breaks Kong's schema. */
export class KongSchemaViolationError extends KongApiError {
  override name = "KongSchemaViolationError";
  declare readonly code: "KONG_SCHEMA_VIOLATION";
  readonly violations: readonly KongFieldViolation[];

  constructor(message: string, details: KongApiErrorDetails, violations: readonly KongFieldViolation[]) {
    super(message, details, "KONG_SCHEMA_VIOLATION");
    this.violations = violations;
  }
}

/** 400, Kong code 4: the plugin refers to a route or service that does not exist. */
export class KongForeignKeyError extends KongApiError {
  override name = "KongForeignKeyError";
  declare readonly code: "KONG_FOREIGN_KEY_VIOLATION";
  /** `route` or `service` (Kong's entity name in the singular), when Kong said */
  readonly entity: string | undefined;
  /** the id that was not found, when Kong said */
  readonly entityId: string | undefined;

  constructor(message: string, details: KongApiErrorDetails, entity?: string, entityId?: string) {
    super(message, details, "KONG_FOREIGN_KEY_VIOLATION");
    this.entity = entity;
    this.entityId = entityId;
  }
}

/** 409, Kong code 5: another plugin holds the same route/service/consumer, or the same instance_name. */
export class KongUniqueViolationError extends KongApiError {
  override name = "KongUniqueViolationError";
  declare readonly code: "KONG_UNIQUE_VIOLATION";

  constructor(message: string, details: KongApiErrorDetails) {
    super(message, details, "KONG_UNIQUE_VIOLATION");
  }
}

/** 401: the admin token is missing or wrong. */
export class KongUnauthorizedError extends KongApiError {
  override name = "KongUnauthorizedError";
  declare readonly code: "KONG_UNAUTHORIZED";

  constructor(message: string, details: KongApiErrorDetails) {
    super(message, details, "KONG_UNAUTHORIZED");
  }
}

/** 403: the admin token's RBAC role does not allow the request. */
export class KongForbiddenError extends KongApiError {
  override name = "KongForbiddenError";
  declare readonly code: "KONG_FORBIDDEN";

  constructor(message: string, details: KongApiErrorDetails) {
    super(message, details, "KONG_FORBIDDEN");
  }
}

/** 404 on a workspace-prefixed path that cannot be missing otherwise: the workspace does not exist. */
export class KongWorkspaceNotFoundError extends KongApiError {
  override name = "KongWorkspaceNotFoundError";
  declare readonly code: "KONG_WORKSPACE_NOT_FOUND";
  readonly workspace: string;

  constructor(message: string, details: KongApiErrorDetails, workspace: string) {
    super(message, details, "KONG_WORKSPACE_NOT_FOUND");
    this.workspace = workspace;
  }
}

/** Where a request that got no answer went. */
export interface KongTransportErrorDetails {
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  readonly cause?: unknown;
}

/** No answer: connection refused or reset, timeout, deadline, TLS handshake. */
export class KongTransportError extends KongCdktfError {
  override name = "KongTransportError";
  declare readonly code: KongTransportErrorCode;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(code: KongTransportErrorCode, message: string, details: KongTransportErrorDetails) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.method = details.method;
    this.url = details.url;
    this.attempts = details.attempts;
  }
}

/** An answer this program cannot use: not JSON, an HTML page, too large, not the expected entity. */
export class KongResponseError extends KongCdktfError {
  override name = "KongResponseError";
  declare readonly code: "KONG_INVALID_RESPONSE";
  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;

  constructor(message: string, details: { readonly status?: number; readonly method: string; readonly url: string }) {
    super("KONG_INVALID_RESPONSE", message);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
  }
}

/** The program's own input is wrong: a missing or malformed environment variable, an unknown version. */
export class KongRequestError extends KongCdktfError {
  override name = "KongRequestError";
  declare readonly code: "KONG_INVALID_REQUEST";

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super("KONG_INVALID_REQUEST", message, options);
  }
}

/**
 * The plugin at the id belongs to another stack (its owner tag is not this stack's): it is neither
 * overwritten nor deleted, unless the construct names its id on purpose (adoption).
 */
export class KongOwnershipError extends KongCdktfError {
  override name = "KongOwnershipError";
  declare readonly code: "KONG_OWNERSHIP_CONFLICT";
  /** the owner tag the live plugin carries */
  readonly ownerTag: string;

  constructor(message: string, ownerTag: string) {
    super("KONG_OWNERSHIP_CONFLICT", message);
    this.ownerTag = ownerTag;
  }
}

/** The resolved plugin configuration breaks the schema (checked again at apply, after references resolve). */
export class KongConfigError extends KongCdktfError {
  override name = "KongConfigError";
  declare readonly code: "KONG_CDKTF_INVALID_CONFIG";

  constructor(message: string) {
    super("KONG_CDKTF_INVALID_CONFIG", message);
  }
}

/** True for any error of this library (any class above). */
export function isKongCdktfError(error: unknown): error is KongCdktfError {
  return error instanceof KongCdktfError;
}
