// SPEC §14: `kubectl kustomize deploy/kubernetes` renders offline; every rendered object validates
// against the Kubernetes API schemas (kubernetes-models: the OpenAPI schemas of the API, compiled);
// both Deployments run non-root with a read-only root filesystem and the rest of the hardening; the
// optional ServiceMonitor component renders too. kubectl is on PATH (bash .ci/run installs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadRunbook } from '../../../src/config/runbook.ts';

const BASE = resolve('deploy/kubernetes');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const hasKubectl = spawnSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl && process.env.CI)
  throw new Error('kubectl is missing on CI: .ci/run should have installed it');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Validator {
  validate(): void;
}
type ModelClass = new (data: never) => Validator;

// One schema per kind the manifests use: a kind added without one fails the test below.
const MODELS: Record<string, () => Promise<ModelClass>> = {
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'policy/v1/PodDisruptionBudget': async () =>
    (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': async () =>
    (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'))
      .ServiceMonitor,
};

function render(dir: string): K8sObject[] {
  const out = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

/** An overlay of the base with the ServiceMonitor component, as a team would write it (README). */
function overlayWithServiceMonitor(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runway-kustomize-'));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: runway',
      // kustomize takes only relative paths to other kustomizations.
      `resources: [${JSON.stringify(relative(dir, BASE))}]`,
      `components: [${JSON.stringify(relative(dir, join(BASE, 'components/servicemonitor')))}]`,
      'images: [{ name: runway, newName: registry.example.com/runway, newTag: 1.2.3 }]',
      'configMapGenerator:',
      '  - name: runway-env',
      '    behavior: merge',
      "    literals: ['REDIS_URL=redis+sentinel://s0:26379,s1:26379/mymaster']",
      '',
    ].join('\n'),
  );
  return dir;
}

async function validateAll(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const key = `${object.apiVersion}/${object.kind}`;
    const load = MODELS[key];
    if (!load) {
      problems.push(`${key} ${object.metadata.name}: no schema known for this kind`);
      continue;
    }
    const Model = await load();
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${key} ${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: { name: string; emptyDir?: object; configMap?: { name: string } }[];
}
/** The Dockerfile's ENTRYPOINT, as its JSON array. */
function dockerEntryPoint(): string[] {
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
  if (!line) throw new Error('the Dockerfile has no ENTRYPOINT [...] line');
  return JSON.parse(line) as string[];
}

const podOf = (d: K8sObject) => (d.spec as { template: { spec: PodSpec } }).template.spec;

describe.skipIf(!hasKubectl)(
  'deploy/kubernetes (skipped where kubectl is missing; bash .ci/run installs it)',
  () => {
    const objects = hasKubectl ? render(BASE) : [];
    const find = (kind: string, name: string) => {
      const found = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
      if (!found) throw new Error(`no ${kind} ${name} in the rendered base`);
      return found;
    };

    it('renders the app and worker Deployments, the Service, the runbook ConfigMap and the budgets, and no Redis', () => {
      const names = objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
      expect(names).toEqual([
        'ConfigMap/runway-env',
        'ConfigMap/runway-runbook',
        'Deployment/runway-app',
        'Deployment/runway-worker',
        'PodDisruptionBudget/runway-app',
        'PodDisruptionBudget/runway-worker',
        'Service/runway-app',
      ]);
      // The team's Secret is referenced, never rendered: tokens do not live in the repository.
      expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
      expect(find('ConfigMap', 'runway-env').data?.REDIS_URL).toMatch(/^redis:\/\//);
    });

    it('validates every rendered object against the Kubernetes API schemas', async () => {
      expect(await validateAll(objects)).toEqual([]);
    });

    it('has a schema check that catches a broken object', async () => {
      const broken = structuredClone(find('Deployment', 'runway-worker'));
      (broken.spec as { replicas: unknown }).replicas = 'two';
      expect((await validateAll([broken]))[0]).toMatch(/replicas must be integer/);
    });

    it('bounds the worker heap by a flag on its command, not NODE_OPTIONS (the runbook commands would inherit it)', () => {
      const [c] = podOf(find('Deployment', 'runway-worker')).containers as [Container];
      expect(c.command).toContain('--max-old-space-size=128');
      expect(c.env?.some((e) => e.name === 'NODE_OPTIONS') ?? false).toBe(false);
    });

    it.each(['runway-app', 'runway-worker'])(
      '%s runs non-root, read-only, unprivileged, with probes and requests',
      (name) => {
        const deployment = find('Deployment', name);
        const pod = podOf(deployment);
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
        expect(pod.containers).toHaveLength(1);
        const [c] = pod.containers as [Container];
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.securityContext?.privileged ?? false).toBe(false);
        expect(c.args).toEqual([name === 'runway-app' ? 'app' : 'worker']);
        // A command that replaces the image's entry point still runs it (the worker adds a heap flag).
        if (c.command) expect(c.command.at(-1)).toBe(dockerEntryPoint().at(-1));
        expect(c.command?.[0] ?? 'node').toBe('node');
        expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
        expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });

        // The only writable place is /tmp, an emptyDir; the runbook comes from the ConfigMap, read-only.
        const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, m]));
        const tmp = mounts.get('/tmp');
        expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
        const runbook = mounts.get('/etc/runway');
        expect(runbook?.readOnly).toBe(true);
        const runbookVolume = pod.volumes?.find((v) => v.name === runbook?.name);
        expect(runbookVolume?.configMap?.name).toBe(find('ConfigMap', 'runway-runbook').metadata.name);
        expect(c.env).toContainEqual({ name: 'RUNWAY_CONFIG', value: '/etc/runway/runway.yml' });

        // Tokens from the existing Secret, by reference, read after the settings so its REDIS_URL wins.
        expect(c.envFrom).toEqual([
          { configMapRef: { name: find('ConfigMap', 'runway-env').metadata.name } },
          { secretRef: { name: 'runway-secrets' } },
        ]);
      },
    );

    it('serves the app on PORT and keeps one pod of each kind through a drain', () => {
      const service = find('Service', 'runway-app');
      const app = podOf(find('Deployment', 'runway-app')).containers[0] as Container;
      const port = app.env?.find((e) => e.name === 'PORT')?.value;
      expect(service.spec).toMatchObject({
        selector: { 'app.kubernetes.io/component': 'app' },
        ports: [{ port: Number(port), targetPort: 'http' }],
      });
      for (const name of ['runway-app', 'runway-worker']) {
        const pdb = find('PodDisruptionBudget', name);
        const deployment = find('Deployment', name);
        expect((pdb.spec as { selector: unknown }).selector).toEqual(
          (deployment.spec as { selector: unknown }).selector,
        );
        expect((deployment.spec as { replicas: number }).replicas).toBeGreaterThan(1);
      }
    });

    it('ships a runbook in the ConfigMap that runway check accepts', () => {
      const text = find('ConfigMap', 'runway-runbook').data?.['runway.yml'] ?? '';
      expect(text).toBe(readFileSync(join(BASE, 'runway.yml'), 'utf8'));
      const loaded = loadRunbook(text, { DEPLOY_HOOK_SECRET: 'from-the-secret' });
      expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    });

    it('renders the ServiceMonitor component over the base, and every object still validates', async () => {
      const withMonitor = render(overlayWithServiceMonitor());
      const monitor = withMonitor.find((o) => o.kind === 'ServiceMonitor');
      expect(monitor?.metadata.namespace).toBe('runway');
      expect(monitor?.spec).toMatchObject({ endpoints: [{ port: 'http', path: '/metrics' }] });
      // It finds both the app's Service and the workers' metrics Service.
      const selector = (monitor?.spec as { selector: { matchLabels: Record<string, string> } }).selector
        .matchLabels;
      const scraped = withMonitor.filter(
        (o) =>
          o.kind === 'Service' && Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['runway-app', 'runway-worker-metrics']);
      expect(await validateAll(withMonitor)).toEqual([]);
      // The overlay's image and REDIS_URL reach both Deployments.
      const env = withMonitor.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('runway-env'));
      expect(env?.data?.REDIS_URL).toBe('redis+sentinel://s0:26379,s1:26379/mymaster');
      for (const d of withMonitor.filter((o) => o.kind === 'Deployment')) {
        const [c] = podOf(d).containers as [Container & { image: string }];
        expect(c.image).toBe('registry.example.com/runway:1.2.3');
        expect(c.envFrom?.[0]?.configMapRef?.name).toBe(env?.metadata.name);
      }
    });
  },
);
