/**
 * The Terraform adapter: `.tf`, `.tf.json`, `.tfvars` into the Model. See docs/formats/terraform.md.
 *
 * Each directory of `.tf` files that no other directory calls as a local module is a unit (a root
 * module); its local modules are loaded with their input variables bound from the call
 * arguments, and their addresses prefixed `module.<name>.`. Nothing is executed: values that are
 * not statically known stay `Unknown`.
 */
import type { App } from '../../model/types.js';
import type { Adapter } from '../types.js';
import { UnitBuilder } from './build.js';
import { TerraformProject } from './modules.js';

export const terraformAdapter: Adapter = {
  id: 'terraform',
  select: (files) => files.filter((f) => f.kind === 'iac' && f.subtype === 'terraform'),
  load: async (files, ctx) => {
    const project = new TerraformProject(ctx);
    await project.parseAll(files);
    const out: Partial<App> &
      Required<Pick<App, 'functions' | 'identities' | 'apis' | 'layers' | 'resources' | 'sources' | 'diagnostics'>> = {
      functions: [],
      identities: [],
      apis: [],
      layers: [],
      resources: [],
      sources: [],
      diagnostics: [],
    };
    for (const unit of project.units()) {
      try {
        await project.instantiate(unit);
        const b = new UnitBuilder(unit);
        b.build();
        for (const k of ['functions', 'identities', 'apis', 'layers', 'resources', 'sources', 'diagnostics'] as const)
          (out[k] as unknown[]).push(...((b.app[k] ?? []) as unknown[]));
      } catch (e) {
        out.diagnostics.push({
          level: 'error',
          file: unit.dir,
          message: `terraform: cannot load ${unit.rel}: ${(e as Error)?.message ?? e}`,
          code: 'terraform-error',
        });
      }
    }
    out.diagnostics.unshift(...project.diagnostics);
    return out;
  },
};

export { TerraformProject } from './modules.js';
