import { MAX_VERSION, MIN_VERSION } from '../context/microversion';

/** Cinder's version document: cinder discovers the microversion from it on every command. */
export const versionDocument = (baseUrl: string) => ({
  versions: [
    {
      id: 'v3.0',
      status: 'CURRENT',
      version: MAX_VERSION,
      min_version: MIN_VERSION,
      updated: '2023-08-31T00:00:00Z',
      links: [
        { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
        { rel: 'self', href: `${baseUrl}/v3/` },
      ],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
    },
  ],
});
