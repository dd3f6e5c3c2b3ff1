import type { HttpSettings } from '../strata-http';

/** `/strata/v1` lives beside `/v3`, at the server root: the endpoint without its `/v3[/project]` tail. */
export const strataRoot = (http: HttpSettings): HttpSettings => ({ ...http, endpoint: http.endpoint.replace(/\/v3(\/[^/]*)?$/, '') });
