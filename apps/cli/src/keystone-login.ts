import { settingsFromEnv, type HttpSettings } from './strata-http';

/**
 * The CLI's settings with Keystone: with a token (STRATA_TOKEN or OS_TOKEN) it is used as given; with
 * password credentials (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME or OS_PROJECT_ID, and the
 * domains) the CLI logs in as the openstack CLI does and, unless STRATA_URL or OS_ENDPOINT names it, takes
 * Strata's endpoint from the token's catalog: block-storage (then volumev3) of OS_INTERFACE (public) in
 * OS_REGION_NAME. Without either it keeps the noauth default.
 */
export const resolveSettings = async (env: NodeJS.ProcessEnv): Promise<HttpSettings> => {
  const base = settingsFromEnv(env);
  if (env.STRATA_TOKEN || env.OS_TOKEN || !env.OS_AUTH_URL || !env.OS_PASSWORD) return base;
  const { token, catalog } = await logIn(env);
  const endpoint = env.STRATA_URL ?? env.OS_ENDPOINT ?? endpointFrom(catalog, env);
  return { ...base, token, endpoint: endpoint.replace(/\/+$/, '') };
};

/** How long the login may take (keystoneauth sets no limit; a person at a shell is better served by an error). */
const KEYSTONE_TIMEOUT_MS = 30_000;

type Catalog = { type?: string; endpoints?: { interface?: string; region?: string; region_id?: string; url?: string }[] }[];

const v3 = (url: string) => {
  const u = url.replace(/\/+$/, '');
  return /\/v3$/.test(u) ? u : `${u}/v3`;
};

const logIn = async (env: NodeJS.ProcessEnv): Promise<{ token: string; catalog: Catalog }> => {
  const domainOf = (id?: string, name?: string) => (id ? { id } : { name: name ?? 'Default' });
  const project = env.OS_PROJECT_ID
    ? { id: env.OS_PROJECT_ID }
    : { name: env.OS_PROJECT_NAME, domain: domainOf(env.OS_PROJECT_DOMAIN_ID, env.OS_PROJECT_DOMAIN_NAME) };
  const user = env.OS_USER_ID
    ? { id: env.OS_USER_ID, password: env.OS_PASSWORD }
    : { name: env.OS_USERNAME, password: env.OS_PASSWORD, domain: domainOf(env.OS_USER_DOMAIN_ID, env.OS_USER_DOMAIN_NAME) };
  const url = `${v3(env.OS_AUTH_URL as string)}/auth/tokens`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user } }, scope: { project } } }),
      // A Keystone that accepts the connection and never answers must not hang the command.
      signal: AbortSignal.timeout(KEYSTONE_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`Unable to reach Keystone at ${env.OS_AUTH_URL}: ${cause}`);
  }
  const body = (await res.json().catch(() => ({}))) as { token?: { catalog?: Catalog }; error?: { message?: string } };
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token)
    throw new Error(`Keystone refused the login: ${body.error?.message ?? res.statusText} (HTTP ${res.status})`);
  return { token, catalog: body.token?.catalog ?? [] };
};

const endpointFrom = (catalog: Catalog, env: NodeJS.ProcessEnv): string => {
  const itf = (env.OS_INTERFACE ?? 'public').replace(/URL$/, '');
  const region = env.OS_REGION_NAME;
  for (const type of ['block-storage', 'volumev3']) {
    for (const service of catalog.filter((s) => s.type === type)) {
      const e = (service.endpoints ?? []).find(
        (x) => x.interface === itf && x.url && (!region || x.region_id === region || x.region === region),
      );
      if (e?.url) return e.url;
    }
  }
  throw new Error(`No block-storage endpoint (${itf}${region ? `, region ${region}` : ''}) in the Keystone catalog; set STRATA_URL`);
};
