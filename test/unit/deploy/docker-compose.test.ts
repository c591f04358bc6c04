import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ORCA_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPOSE_FILE = `${ROOT}docker-compose.yml`;

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string | string[] };
  ports?: string[];
  volumes?: string[];
  restart?: string;
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

/** A compose command as the shell in the container sees it (`$$` is compose's escape for `$`). */
function script(service: Service): string {
  const command = Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? '');
  return command.replaceAll('$$', '$');
}

describe('docker-compose.yml', () => {
  test('has the database, the Temporal server with its setup jobs, the Web UI and the Orca worker', () => {
    expect(Object.keys(services).sort()).toEqual(['orca-worker', 'postgresql', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui']);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    // The server and its tools move together.
    expect(services['temporal-schema']!.image!.split(':')[1]).toBe(services.temporal!.image!.split(':')[1]);
    expect(services['temporal-setup']!.image).toBe(services['temporal-schema']!.image);
  });

  test('starts in order: each service waits for what it needs to be healthy or done', () => {
    const conditions = Object.fromEntries(Object.entries(services).map(([name, service]) => [
      name,
      Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([dependency, { condition }]) => [dependency, condition])),
    ]));
    expect(conditions).toEqual({
      postgresql: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { 'temporal-schema': 'service_completed_successfully' },
      'temporal-setup': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      'orca-worker': { 'temporal-setup': 'service_completed_successfully' },
    });
    // A dependency on service_healthy needs a health check to become healthy.
    for (const service of Object.values(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck, dependency).toBeDefined();
      }
    }
    expect(services.postgresql!.healthcheck!.test).toEqual(['CMD-SHELL', 'pg_isready -U temporal -d postgres']);
    expect(services.temporal!.healthcheck!.test).toEqual(['CMD', 'nc', '-z', 'localhost', '7233']);
  });

  test('the server reaches the database it was set up with, and reads the dynamic config the schema job writes', () => {
    const server = services.temporal!.environment!;
    const database = services.postgresql!.environment!;
    expect(server).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql', POSTGRES_USER: database.POSTGRES_USER, POSTGRES_PWD: database.POSTGRES_PASSWORD, BIND_ON_IP: '0.0.0.0' });
    expect(script(services['temporal-schema']!)).toContain(`-u ${database.POSTGRES_USER} -p ${server.DB_PORT}`);
    expect(services['temporal-schema']!.environment!.SQL_PASSWORD).toBe(database.POSTGRES_PASSWORD);
    for (const db of ['temporal', 'temporal_visibility']) {
      for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(script(services['temporal-schema']!)).toContain(`--db ${db} ${step}`);
    }
    const configFile = String(server.DYNAMIC_CONFIG_FILE_PATH);
    expect(script(services['temporal-schema']!)).toContain(`> ${configFile}`);
    const [volume, mountPoint] = services.temporal!.volumes![0]!.split(':');
    expect(configFile.startsWith(`${mountPoint}/`)).toBe(true);
    expect(services['temporal-schema']!.volumes).toContain(`${volume}:${mountPoint}`);
    expect(compose.volumes).toHaveProperty(volume!);
  });

  test('creates the namespace and every search attribute of workflows/search-attributes.ts', () => {
    const setup = script(services['temporal-setup']!);
    expect(setup).toContain('temporal operator namespace create -n "$TEMPORAL_NAMESPACE"');
    expect(services['temporal-setup']!.environment!.TEMPORAL_NAMESPACE).toBe(services['orca-worker']!.environment!.TEMPORAL_NAMESPACE);
    for (const key of ORCA_SEARCH_ATTRIBUTES) expect(setup).toMatch(new RegExp(`--name ${key.name} --type Keyword\\b`));
    expect(setup.match(/--name /g)).toHaveLength(ORCA_SEARCH_ATTRIBUTES.length);
  });

  test.each(['temporal-schema', 'temporal-setup'])('the %s script is valid sh', (name) => {
    const check = spawnSync('sh', ['-n'], { input: script(services[name]!), encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  test('the worker is built from the Dockerfile and pointed at the server, the UI at the same server', () => {
    const worker = services['orca-worker']!;
    expect(worker.build).toBe('.');
    expect(worker.command).toEqual(['worker']);
    expect(worker.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(worker.environment!.OPENAI_API_KEY).toMatch(/^\$\{OPENAI_API_KEY:\?/);
    expect(worker.volumes).toEqual(['${ORCA_HOST_WORKSPACE:-.}:/workspace']);
    expect(worker.environment!.ORCA_STORE_DIR).toMatch(/^\/workspace\//);

    const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
    expect(dockerfile).toContain('ENTRYPOINT ["node", "/app/dist/client/cli.js"]');
    expect(dockerfile).toContain('CMD ["worker"]');
    expect(dockerfile).toContain('WORKDIR /workspace');
  });

  // Docker's own parser, where one is installed: Compose v2 (`docker compose`) or Debian's docker-compose.
  const composeBinary = (() => {
    if (spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0) return ['docker', 'compose'];
    if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0) return ['docker-compose'];
    return undefined;
  })();

  test.skipIf(!composeBinary)('`docker compose config -q` accepts it', async () => {
    const [command, ...args] = composeBinary!;
    const env = { ...process.env, OPENAI_API_KEY: 'sk-test' };
    await expect(promisify(execFile)(command!, [...args, '-f', COMPOSE_FILE, 'config', '-q'], { env, cwd: ROOT })).resolves.toMatchObject({ stderr: '' });
    // Without a key the worker cannot call a model: compose refuses to start rather than fail later.
    const withoutKey: NodeJS.ProcessEnv = { ...env };
    delete withoutKey.OPENAI_API_KEY;
    await expect(promisify(execFile)(command!, [...args, '-f', COMPOSE_FILE, 'config', '-q'], { env: withoutKey, cwd: ROOT })).rejects.toThrow(/set OPENAI_API_KEY for the worker/);
  });
});
