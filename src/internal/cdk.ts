/**
 * The one module that knows the CDK framework: CDK for Terraform (`cdktf` 0.21) or its fork CDK Terrain
 * (`cdktn` 0.24). Both are optional peer dependencies; every other file reaches the framework through
 * the functions here, which take a construct and use the framework of that construct's app.
 *
 * Which framework: the one installed, when only one resolves from this package; when both do (an app
 * of one with a package that pulled in the other, or an npm alias of one to the other), the one whose
 * `App` is the construct's root, else the one whose `TerraformStack` holds it. The two are the same
 * API under two names, but their classes are distinct and cannot be mixed in one app (a cdktf element
 * in a cdktn stack fails at synth), so each app gets resources, assets and tokens of its own framework:
 * the `null` provider binding too, written here against the bound framework's `TerraformProvider`
 * and `TerraformResource` (no prebuilt provider package, which would require cdktf).
 *
 * The types exported are structural (what the library's public properties expose, and what both
 * frameworks' classes satisfy), so that the published declarations name neither package.
 */
import type * as Cdktf from "cdktf";
import type { Construct, IConstruct } from "constructs";

/** The frameworks, in the order they are tried when both are installed and neither claims the app. */
export const FRAMEWORKS = ["cdktf", "cdktn"] as const;
export type FrameworkName = (typeof FRAMEWORKS)[number];

// ---- the types the rest of the library (and its public properties) use ----

/** The part of the framework's `IResolveContext` the library uses. */
export interface IResolveContext {
  suppressBraces?: boolean;
}

/** A value the framework resolves at synth (`IResolvable` of cdktf and cdktn). */
export interface IResolvable {
  readonly creationStack: string[];
  resolve(context: IResolveContext): unknown;
  toString(): string;
}

/** A `local-exec` provisioner, as both frameworks write it. */
export interface LocalExecProvisioner {
  readonly type: "local-exec";
  readonly command: string;
  readonly workingDir?: string;
  readonly interpreter?: string[];
  readonly environment?: Record<string, string>;
  readonly when?: "destroy" | "create";
}

/** The synthesis session the framework hands a construct's custom synthesis. */
export interface ISynthesisSession {
  readonly outdir: string;
  readonly manifest: { forStack(stack: TerraformStack): { readonly workingDirectory: string } };
}

/** A stack of the app's framework (cdktf's or cdktn's `TerraformStack`). */
export type TerraformStack = IConstruct;

/** A Terraform element of the app's framework: what cdktf's and cdktn's `TerraformElement` have. */
export interface TerraformElement extends IConstruct {
  /** `<type>.<logical id>`, what `depends_on` takes */
  readonly fqn: string;
  /** the logical id */
  readonly friendlyUniqueId: string;
  addOverride(path: string, value: unknown): void;
  overrideLogicalId(newLogicalId: string): void;
}

/** A Terraform resource of the app's framework (cdktf's or cdktn's `TerraformResource`). */
export interface TerraformResource extends TerraformElement {
  readonly terraformResourceType: string;
  dependsOn?: string[];
  getStringAttribute(terraformAttribute: string): string;
}

/** A provider block of the app's framework (cdktf's or cdktn's `TerraformProvider`). */
export interface TerraformProvider extends TerraformElement {
  readonly terraformResourceType: string;
  readonly terraformProviderSource?: string;
  readonly alias?: string;
}

/** The built-in `terraform_data` resource (the framework's `DataResource`). */
export interface DataResource extends TerraformResource {
  /** the resource's id: a reference resolved at apply */
  readonly id: string;
}

/** hashicorp/null's `null_resource`. */
export interface NullResource extends TerraformResource {
  /** the resource's id: a reference resolved at apply */
  readonly id: string;
}

/** A file copied into the synthesized stack (the framework's `TerraformAsset`). */
export interface TerraformAsset extends IConstruct {
  /** its path relative to the synthesized stack, as a token */
  readonly path: string;
}

/** The meta-arguments the library's resources take. */
export interface ResourceMeta {
  readonly provisioners?: LocalExecProvisioner[];
  readonly lifecycle?: { readonly ignoreChanges: string[] };
  readonly provider?: TerraformProvider;
}

// ---- the binding ----

type Module = typeof Cdktf;

/** The framework bound to an app: its module, and the `null` provider binding built on it. */
interface Binding {
  readonly name: FrameworkName;
  readonly module: Module;
  readonly NullProvider: new (scope: Construct, id: string) => Cdktf.TerraformProvider;
  readonly NullResource: new (scope: Construct, id: string, config: ResourceMeta & { triggers: unknown }) => Cdktf.TerraformResource & NullResource;
}

/** Loads a framework the way this package sees it (its own resolution, as Node resolves a peer), or `undefined`. */
type Loader = (name: FrameworkName) => Module | undefined;

const defaultLoader: Loader = (name) => {
  try {
    return require(name) as Module;
  } catch (error) {
    if ((error as { code?: string }).code === "MODULE_NOT_FOUND" && new RegExp(`'${name}'`).test((error as Error).message)) return undefined;
    throw error;
  }
};

let loader: Loader = defaultLoader;
let loaded: Binding[] | undefined;
const byRoot = new WeakMap<IConstruct, Binding>();

/** The frameworks that resolve, each bound once. */
function available(): Binding[] {
  if (loaded) return loaded;
  loaded = [];
  for (const name of FRAMEWORKS) {
    const module = loader(name);
    if (module) loaded.push(bind(name, module));
  }
  return loaded;
}

/**
 * @internal For tests: the frameworks as `load` gives them (a module, or `undefined` for one not
 * installed); without an argument, Node's resolution again.
 */
export function useFrameworkLoader(load?: Loader): void {
  loader = load ?? defaultLoader;
  loaded = undefined;
}

/** The framework of the app of `scope`; the same for every construct of that app. */
function frameworkOf(scope: IConstruct): Binding {
  const root = scope.node.root;
  let binding = byRoot.get(root);
  if (binding) return binding;
  const frameworks = available();
  if (frameworks.length === 0) {
    throw new Error(
      `"${scope.node.path}": cdktf-kong-gateway needs cdktf (0.21) or cdktn (0.24) and found neither: install the one your app uses (npm install cdktn@0.24 or npm install cdktf@0.21)`,
    );
  }
  binding =
    frameworks.length === 1
      ? frameworks[0]!
      : (frameworks.find((f) => root instanceof f.module.App) ?? frameworks.find((f) => scope.node.scopes.some((s) => s instanceof f.module.TerraformStack)));
  if (!binding) {
    throw new Error(
      `"${scope.node.path}": both cdktf and cdktn are installed and the construct belongs to neither's app or stack (its root is a ${root.constructor.name}): create it in a stack of the App your app imports`,
    );
  }
  byRoot.set(root, binding);
  return binding;
}

/** @internal The name of the framework of the app of `scope` ("cdktf" or "cdktn"). */
export function frameworkName(scope: IConstruct): FrameworkName {
  return frameworkOf(scope).name;
}

/** The `null` provider and `null_resource` (hashicorp/null 3.x) on the classes of one framework. */
function bind(name: FrameworkName, module: Module): Binding {
  const metadata = { providerName: "null", providerVersion: "3.2.4", providerVersionConstraint: "~> 3.0" };
  const strings = module.hashMapper(module.stringToTerraform);
  const hclStrings = module.hashMapperHcl(module.stringToHclTerraform);

  class NullProvider extends module.TerraformProvider {
    constructor(scope: Construct, id: string) {
      super(scope, id, { terraformResourceType: "null", terraformGeneratorMetadata: metadata, terraformProviderSource: "null" });
    }
    protected override synthesizeAttributes(): Record<string, unknown> {
      return { alias: module.stringToTerraform(this.alias) };
    }
    protected override synthesizeHclAttributes(): Record<string, unknown> {
      const alias = module.stringToHclTerraform(this.alias);
      return alias === undefined ? {} : { alias: { value: alias, isBlock: false, type: "simple", storageClassType: "string" } };
    }
  }

  class NullResource extends module.TerraformResource {
    private readonly triggers: unknown;
    constructor(scope: Construct, id: string, config: ResourceMeta & { triggers: unknown }) {
      super(scope, id, {
        terraformResourceType: "null_resource",
        terraformGeneratorMetadata: metadata,
        ...(config.provider ? { provider: config.provider as Cdktf.TerraformProvider } : {}),
        ...(config.lifecycle ? { lifecycle: config.lifecycle } : {}),
        ...(config.provisioners ? { provisioners: config.provisioners } : {}),
      });
      this.triggers = config.triggers;
    }
    get id(): string {
      return this.getStringAttribute("id");
    }
    protected override synthesizeAttributes(): Record<string, unknown> {
      return { triggers: strings(this.triggers) };
    }
    protected override synthesizeHclAttributes(): Record<string, unknown> {
      const triggers = hclStrings(this.triggers);
      return triggers === undefined ? {} : { triggers: { value: triggers, isBlock: false, type: "map", storageClassType: "stringMap" } };
    }
  }

  return { name, module, NullProvider, NullResource };
}

// ---- what the library does with the framework ----

/** The stack of `scope` (the framework's `TerraformStack.of`). */
export function stackOf(scope: IConstruct): TerraformStack {
  return frameworkOf(scope).module.TerraformStack.of(scope);
}

/** A built-in `terraform_data` resource. */
export function dataResource(
  scope: Construct,
  id: string,
  config: ResourceMeta & { triggersReplace: Record<string, string> | IResolvable; input?: Record<string, string> },
): DataResource {
  const { module } = frameworkOf(scope);
  return new module.DataResource(scope, id, config as ConstructorParameters<Module["DataResource"]>[2]);
}

/** A `null_resource` (its provider block is the caller's: {@link nullProvider}). */
export function nullResource(scope: Construct, id: string, config: ResourceMeta & { triggers: Record<string, string> | IResolvable }): NullResource {
  return new (frameworkOf(scope).NullResource)(scope, id, config);
}

/** The stack's hashicorp/null provider block without alias: the one there (any binding's), or a new one. */
export function nullProvider(scope: IConstruct): TerraformProvider {
  const { module, NullProvider } = frameworkOf(scope);
  const stack = module.TerraformStack.of(scope);
  const existing = stack.node.children.find(
    (child): child is Cdktf.TerraformProvider =>
      child instanceof module.TerraformProvider && child.terraformResourceType === "null" && child.alias === undefined,
  );
  return existing ?? new NullProvider(stack, "null");
}

/** The stack's file asset `id` of the file at `file`: the one there, or a new one. */
export function stackFileAsset(scope: IConstruct, id: string, file: () => string): TerraformAsset {
  const { module } = frameworkOf(scope);
  const stack = module.TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof module.TerraformAsset) return existing;
  return new module.TerraformAsset(stack, id, { path: file(), type: module.AssetType.FILE });
}

/** A local value holding `expression`, as a string token. */
export function localValue(scope: Construct, id: string, expression: string): string {
  return new (frameworkOf(scope).module.TerraformLocal)(scope, id, expression).asString;
}

/** A warning on `scope`, printed at synth. */
export function addWarning(scope: IConstruct, message: string): void {
  frameworkOf(scope).module.Annotations.of(scope).addWarning(message);
}

/** An annotation on `scope`: an error fails the synth, a warning and an info are printed. */
export function annotate(scope: IConstruct, level: "error" | "warning" | "info", message: string): void {
  const annotations = frameworkOf(scope).module.Annotations.of(scope);
  if (level === "error") annotations.addError(message);
  else if (level === "warning") annotations.addWarning(message);
  else annotations.addInfo(message);
}

/** An aspect: visited with every construct of the scope it is added to (the frameworks' `IAspect`). */
export interface IAspect {
  visit(node: IConstruct): void;
}

/** The aspects of `scope` (the framework's `Aspects.of`). */
export function aspectsOf(scope: IConstruct): { add(aspect: IAspect): void; readonly all: IAspect[] } {
  return frameworkOf(scope).module.Aspects.of(scope);
}

/** Whether a construct is a stack of either framework (both mark a stack with the same symbol). */
export function isStack(value: unknown): value is TerraformStack {
  return value !== null && typeof value === "object" && (value as Record<symbol, unknown>)[Symbol.for("cdktf/TerraformStack")] === true;
}

/**
 * A value with its tokens resolved from `scope` as the framework writes them into `cdk.tf.json`
 * (`${var.route_id}`, `${terraform_data.x.id}`), by the resolver the framework's own synth uses.
 */
export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  const { module } = frameworkOf(scope);
  return module.Tokenization.resolve(value, { scope, resolver: new module.DefaultTokenResolver(new module.StringConcat()) });
}

/** The framework's Terraform functions that the library uses, for the app of `scope`. */
export interface TerraformFunctions {
  jsonencode(value: unknown): string;
  sha256(text: string): string;
  base64encode(text: string): string;
}

/** Terraform's functions, as tokens of the app of `scope`. */
export function functionsOf(scope: IConstruct): TerraformFunctions {
  const { Fn } = frameworkOf(scope).module;
  return { jsonencode: (value) => Fn.jsonencode(value), sha256: (text) => Fn.sha256(text), base64encode: (text) => Fn.base64encode(text) };
}

/** A value produced at synth's end (`Lazy.anyValue`). */
export function lazyValue<T>(scope: IConstruct, produce: () => T): IResolvable {
  return frameworkOf(scope).module.Lazy.anyValue({ produce });
}

/** A string produced at synth's end (`Lazy.stringValue`). */
export function lazyString(scope: IConstruct, produce: () => string): string {
  return frameworkOf(scope).module.Lazy.stringValue({ produce });
}

/** A string token for `value` in the app of `scope` (`Token.asString`). */
export function tokenString(scope: IConstruct, value: IResolvable): string {
  return frameworkOf(scope).module.Token.asString(value as Cdktf.IResolvable);
}

/**
 * True for a token (a string, number or list that stands for a value resolved later). Tokens are the
 * same in both frameworks (cdktn kept cdktf's markers and its one token map on `globalThis`), so any
 * installed framework answers for both.
 */
export function isToken(value: string | number | unknown[]): boolean {
  const frameworks = available();
  // with no framework installed nothing can have made a token
  return frameworks.length > 0 && frameworks[0]!.module.Token.isUnresolved(value);
}

/**
 * Runs `write` when the framework synthesizes the construct's stack, before it writes `cdk.tf.json`,
 * with the stack's output directory: the frameworks' own hook for a construct's files
 * (`addCustomSynthesis`, which neither exports; both read the same marker symbol).
 */
export function onSynthesize(construct: IConstruct, write: (session: ISynthesisSession) => void): void {
  Object.defineProperty(construct, Symbol.for("cdktf/customSynthesis"), { value: { onSynthesize: write }, enumerable: false });
}
