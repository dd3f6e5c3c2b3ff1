/** Cinder's fault body: `{"<faultName>": {"code": N, "message": "..."}}`, which both CLIs print cleanly. */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export const faultBody = (code: number, message: string) => ({
  [FAULT_NAMES[code] ?? 'computeFault']: { code, message },
});

/** An error raised at the HTTP edge (validation, policy, microversion) that already knows its status. */
export class HttpFault extends Error {
  override readonly name = 'HttpFault';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  static badRequest = (message: string) => new HttpFault(400, message);
  static forbidden = (rule: string) => new HttpFault(403, `Policy doesn't allow ${rule} to be performed.`);
  static notFound = (message: string) => new HttpFault(404, message);
}

/** Cinder's answer to an If-Match that names another version (3.15 ETags): a bare 412, no fault body. */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
}
