/** The CLI's only way to Strata: HTTP, with the Cinder fault body turned into one clear line. */
export class StrataApiError extends Error {
  override readonly name = 'StrataApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`${message} (HTTP ${status})`);
  }
}

export interface HttpSettings {
  readonly endpoint: string;
  readonly token: string;
  readonly microversion: string;
}

export const settingsFromEnv = (env: NodeJS.ProcessEnv): HttpSettings => ({
  endpoint: (env.STRATA_URL ?? env.OS_ENDPOINT ?? 'http://127.0.0.1:8776/v3').replace(/\/+$/, ''),
  token: env.STRATA_TOKEN ?? env.OS_TOKEN ?? 'admin:admin',
  microversion: env.OS_VOLUME_API_VERSION ?? '3.70',
});

export const call = async <T>(s: HttpSettings, method: string, path: string, body?: unknown): Promise<T> => {
  const res = await send(s, method, path, body);
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, { message?: string }>) : {};
  if (res.status >= 400) {
    const fault = Object.values(parsed)[0];
    throw new StrataApiError(res.status, fault?.message ?? res.statusText);
  }
  return parsed as T;
};

const send = async (s: HttpSettings, method: string, path: string, body: unknown) => {
  try {
    return await fetch(`${s.endpoint}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        'X-Auth-Token': s.token,
        'OpenStack-API-Version': `volume ${s.microversion}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`Unable to reach Strata at ${s.endpoint}: ${cause}`);
  }
};
