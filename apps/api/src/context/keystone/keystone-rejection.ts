/**
 * What keystonemiddleware answers itself, before the service sees the request: its own JSON body
 * (`{"error": {...}}`, not a Cinder fault), and on 401 the identity endpoint to authenticate against.
 */
export class KeystoneRejection extends Error {
  override readonly name = 'KeystoneRejection';
  private constructor(
    readonly status: 401 | 503,
    readonly title: string,
    message: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  static unauthorized = (wwwAuthenticateUri: string) =>
    new KeystoneRejection(401, 'Unauthorized', 'The request you have made requires authentication.', {
      'WWW-Authenticate': `Keystone uri="${wwwAuthenticateUri}"`,
    });

  static keystoneUnavailable = () =>
    new KeystoneRejection(503, 'Service Unavailable', 'The Keystone service is temporarily unavailable.', {});

  get body() {
    return { error: { code: this.status, title: this.title, message: this.message } };
  }
}
