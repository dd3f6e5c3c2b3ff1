import { HttpFault } from '../errors/cinder-fault';
import { validateLoginRequest } from './keystone-login.dto';

const SECRET = 'Sekr1t-never-echoed';
const valid = { username: 'alice', password: SECRET, project_name: 'demo' };

/** The 400's message for a body, or null when the body is a login. */
const refusal = async (body: unknown): Promise<string | null> => {
  try {
    await validateLoginRequest(body);
    return null;
  } catch (e) {
    if (!(e instanceof HttpFault)) throw e;
    expect(e.status).toBe(400);
    return e.message;
  }
};

describe('the login body (POST /strata/v1/auth/tokens)', () => {
  it('takes a username, a password and a project, with the domains optional', async () => {
    expect(await validateLoginRequest(valid)).toMatchObject(valid);
    expect(await validateLoginRequest({ ...valid, user_domain_name: 'ldap', project_domain_name: 'Default' })).toMatchObject({
      user_domain_name: 'ldap',
    });
    // null is as good as absent: the route takes Keystone's Default domain for both.
    expect(await validateLoginRequest({ ...valid, user_domain_name: null })).toMatchObject({ user_domain_name: null });
  });

  it.each<[string, unknown, string]>([
    ['no username', { password: SECRET, project_name: 'demo' }, 'Invalid login: username must be a string.'],
    ['no project', { ...valid, project_name: undefined }, 'Invalid login: project_name must be a string.'],
    ['a number for a password', { ...valid, password: 12345 }, 'Invalid login: password must be a string.'],
    ['an empty password', { ...valid, password: '' }, 'Invalid login: password must be longer than or equal to 1 characters.'],
    [
      'a password longer than Keystone takes',
      { ...valid, password: 'x'.repeat(4097) },
      'Invalid login: password must be shorter than or equal to 4096 characters.',
    ],
    ['a username with a newline', { ...valid, username: 'ali\nce' }, 'Invalid login: username must be printable text.'],
    ['a number for a domain', { ...valid, user_domain_name: 7 }, 'Invalid login: user_domain_name must be a string.'],
    ['a key Strata does not take', { ...valid, scope: { system: 'all' } }, 'Invalid login: property scope should not exist.'],
    ['an array', [SECRET], 'Invalid login: the body must be a JSON object.'],
    ['null', null, 'Invalid login: the body must be a JSON object.'],
  ])('refuses %s with a message that never repeats a value', async (_, body, message) => {
    const said = await refusal(body);
    expect(said).toBe(message);
    expect(said).not.toContain(SECRET);
    expect(said).not.toContain('12345');
  });
});
