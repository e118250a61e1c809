/**
 * No false refusal of what Salesforce's own tools write: the real sf CLI (pinned in scripts/install-sf-cli.sh)
 * generates every project template it offers, and into the standard project one component of every component
 * template (Apex classes and a trigger, Lightning pages, Aura and LWC bundles, Visualforce, a static resource,
 * a UI bundle, an Analytics template, an Experience site), and deploys each project to a Localforce with every
 * deploy check on. A real org accepts all of them, so every component must deploy.
 *
 * The templates come with the pinned CLI (@salesforce/templates), so the material is real and nothing of it is
 * committed here. Where a template leaves a step to the user's build, the test takes it the way a user would:
 * a UI bundle's `outputDir` gets a built page, and a static resource an actual file (the CLI itself refuses
 * to deploy a resource folder that holds only `.gitkeep`).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { startTestServer, type LocalforceServer } from '../support/localforce';
import { installSfCli, SF_INSTALL_TIMEOUT_MS, type SfResult, type SfRunner } from '../support/sfCli';

const ALIAS = 'localforce-templates';
const COMMAND_TIMEOUT_MS = 180_000;
const SOURCE = join('force-app', 'main', 'default');

let server: LocalforceServer;
let sf: SfRunner;
let scratch: string;

type FileRow = { fullName: string; type: string; state: string; filePath?: string; error?: string };

/** Runs `sf <args>` and fails with what it printed unless it succeeded. */
async function sfOk(args: string[], cwd: string): Promise<SfResult> {
  const r = await sf(args, { cwd });
  if (r.code !== 0 || r.json.status !== 0) throw new Error(`sf ${args.join(' ')} failed (exit ${r.code}): ${r.json.name}: ${r.json.message}`);
  return r;
}

/** Every file named `name` under `dir`, skipping node_modules. */
function filesNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) found.push(...filesNamed(p, name));
    else if (e.name === name) found.push(p);
  }
  return found;
}

/** What a user's build leaves before a deploy: each UI bundle's output folder holds a page. */
function buildUiBundles(project: string): void {
  for (const config of filesNamed(project, 'ui-bundle.json')) {
    const outputDir = (JSON.parse(readFileSync(config, 'utf8')) as { outputDir?: string }).outputDir ?? 'dist';
    const out = join(dirname(config), outputDir);
    mkdirSync(out, { recursive: true });
    if (!existsSync(join(out, 'index.html'))) writeFileSync(join(out, 'index.html'), '<!doctype html><html><body></body></html>\n');
  }
}

async function generateProject(name: string, template: string): Promise<string> {
  await sfOk(['template', 'generate', 'project', '--name', name, '--template', template, '--output-dir', scratch], scratch);
  return join(scratch, name);
}

/** The standard project with one component of each component template the CLI offers. */
async function standardProjectWithEveryComponent(): Promise<string> {
  const dir = await generateProject('every_component', 'standard');
  const out = (folder: string) => join(SOURCE, folder);
  const generate = (args: string[]) => sfOk(['template', 'generate', ...args], dir);
  for (const t of ['ApexException', 'ApexUnitTest', 'BasicUnitTest', 'Batchable', 'DefaultApexClass', 'InboundEmailService', 'Queueable']) {
    await generate(['apex', 'class', '--name', `Gen${t}`, '--template', t, '--output-dir', out('classes')]);
  }
  await generate(['apex', 'trigger', '--name', 'GenAccountTrigger', '--sobject', 'Account', '--event', 'before insert,after update', '--output-dir', out('triggers')]);
  for (const t of ['RecordPage', 'AppPage', 'HomePage']) {
    await generate(['flexipage', '--name', `Gen${t}`, '--template', t, '--sobject', 'Account', '--output-dir', out('flexipages')]);
  }
  await generate(['lightning', 'app', '--name', 'GenApp', '--output-dir', out('aura')]);
  await generate(['lightning', 'event', '--name', 'GenEvent', '--output-dir', out('aura')]);
  await generate(['lightning', 'interface', '--name', 'GenInterface', '--output-dir', out('aura')]);
  await generate(['lightning', 'component', '--name', 'GenAura', '--type', 'aura', '--output-dir', out('aura')]);
  for (const [t, name] of [['default', 'genDefault'], ['analyticsDashboard', 'genDashboard'], ['analyticsDashboardWithStep', 'genDashboardStep'], ['typescript', 'genTypescript']]) {
    await generate(['lightning', 'component', '--name', name!, '--template', t!, '--type', 'lwc', '--output-dir', out('lwc')]);
  }
  await generate(['static-resource', '--name', 'GenResource', '--output-dir', out('staticresources')]);
  writeFileSync(join(dir, out('staticresources'), 'GenResource', 'readme.txt'), 'A file of the resource.\n');
  await generate(['visualforce', 'component', '--name', 'GenVfComponent', '--label', 'GenVfComponent', '--output-dir', out('components')]);
  await generate(['visualforce', 'page', '--name', 'GenVfPage', '--label', 'GenVfPage', '--output-dir', out('pages')]);
  await generate(['ui-bundle', '--name', 'genbundle', '--output-dir', out('uiBundles')]);
  await generate(['analytics', 'template', '--name', 'GenWave', '--output-dir', out('waveTemplates')]);
  // The site generator asks the org for its site templates, so it runs against the server.
  await generate(['digital-experience', 'site', '--name', 'GenSite', '--template-name', 'Build Your Own (LWR)',
    '--url-path-prefix', 'gensite', '--admin-email', 'admin@example.com', '--target-org', ALIAS, '--output-dir', SOURCE]);
  return dir;
}

/** Deploys the project's package directory and expects every component deployed. */
async function expectCleanDeploy(dir: string, atLeast: number): Promise<void> {
  buildUiBundles(dir);
  const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS, '--wait', '10'], { cwd: dir });
  const failed = ((r.json.result?.files ?? []) as FileRow[]).filter((f) => f.state === 'Failed')
    .map((f) => `${f.type} ${f.fullName} ${f.filePath ? relative(dir, f.filePath) : ''}: ${f.error}`);
  expect({ code: r.code, message: r.json.message ?? '', failed }).toEqual({ code: 0, message: '', failed: [] });
  expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, numberComponentErrors: 0 });
  expect(r.json.result.numberComponentsDeployed).toBeGreaterThanOrEqual(atLeast);
}

beforeAll(async () => {
  server = await startTestServer();
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-templates-'));
  sf = await installSfCli(join(scratch, 'home'), COMMAND_TIMEOUT_MS);
  const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', ALIAS, '--no-prompt'], {
    env: { SF_ACCESS_TOKEN: server.org.accessToken },
  });
  if (login.code !== 0) throw new Error(`sf org login access-token failed: ${login.json.message}`);
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(6 * COMMAND_TIMEOUT_MS);

describe('what the sf CLI generates deploys with every check on', () => {
  it('the standard project with one component of every component template', async () => {
    // 7 classes, a trigger, 3 pages, 4 Aura and 4 LWC bundles, a resource, 2 Visualforce, a UI bundle,
    // a wave template, and the site's network, site config and content.
    await expectCleanDeploy(await standardProjectWithEveryComponent(), 28);
  });

  // Each project template that carries metadata of its own, with the fewest components it has today.
  it.each([
    ['agent', 12],
    ['reactinternalapp', 3],
    ['reactexternalapp', 10],
    ['angularinternalapp', 3],
    ['angularexternalapp', 11],
  ])('the %s project', async (template, atLeast) => {
    await expectCleanDeploy(await generateProject(`p_${template}`, template), atLeast);
  });
});
