/**
 * An app of its own: a terraform working directory (and so a state) per app, whose stack and
 * provider are named as the caller says (the README's `kong`), unlike E2eStack's fixed `e2e`. Two of
 * them against one emulator are two independent teams.
 */
import type { TerraformStack } from "cdktf";
import { KongGatewayProvider, type KongGatewayProviderProps } from "../../../src/index.js";
import { TerraformWorkdir, type TerraformResult } from "../../../src/testing/terraform.js";
import { expectExit, synthStack, terraform } from "../../support/e2e.js";

export class AppDir {
  readonly workdir: TerraformWorkdir;
  private initialized = false;

  constructor(
    /** the stack's name, also the first segment of every construct path */
    readonly stackName: string,
    env: Record<string, string> = {},
  ) {
    this.workdir = TerraformWorkdir.create({ binary: terraform?.binary ?? "terraform", env });
  }

  /** Synthesizes the stack (its provider named `kong`) and makes it the working directory's configuration. */
  load(provider: KongGatewayProviderProps, build: (stack: TerraformStack, provider: KongGatewayProvider) => void): this {
    const synth = synthStack(this.stackName, (stack) => build(stack, new KongGatewayProvider(stack, "kong", { backend: "terraform_data", layout: "per-resource", ...provider })));
    this.workdir.load(synth.dir);
    synth.dispose();
    return this;
  }

  private async init(): Promise<void> {
    if (this.initialized) return;
    expectExit(await this.workdir.init(), 0, `terraform init (${this.stackName})`);
    this.initialized = true;
  }

  async apply(): Promise<TerraformResult> {
    await this.init();
    return this.workdir.apply();
  }

  /** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes. */
  async plan(): Promise<TerraformResult> {
    await this.init();
    return this.workdir.plan();
  }

  async destroy(): Promise<TerraformResult> {
    await this.init();
    return this.workdir.destroy();
  }

  dispose(): void {
    this.workdir.dispose();
  }
}

/** Terraform's whole output of one command. */
export const outputOf = (result: TerraformResult): string => result.stdout + result.stderr;
