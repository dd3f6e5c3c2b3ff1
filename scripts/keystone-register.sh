#!/usr/bin/env bash
# Registers Strata in Keystone's catalog as the block-storage service (and as volumev3, the type older
# clients look up), with an endpoint per interface in one region, so that the openstack and cinder CLIs
# find it from password credentials alone. Idempotent: services found by type are reused, an endpoint of
# the same service, interface and region gets the new URL, a missing region is created.
#
#   scripts/keystone-register.sh URL [REGION]     # URL like http://strata.example:8776/v3/%(project_id)s
#   scripts/keystone-register.sh --remove REGION  # deletes the block-storage/volumev3 endpoints of REGION
#                                                 # (and REGION itself when nothing else uses it)
#
# Credentials are a Keystone admin's, from the usual OS_* variables (OS_AUTH_URL, OS_USERNAME,
# OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME); `scripts/keystone.sh env`
# prints them for the test Keystone. REGION defaults to OS_REGION_NAME, then RegionOne.
# STRATA_KEYSTONE_INTERFACES (default public,internal,admin) names the interfaces to register.
# Needs python3-keystoneclient (Debian; installed with python3-openstackclient).
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
for v in OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME; do
  [ -n "${!v:-}" ] || {
    echo "keystone-register: $v is not set (an admin's OS_* credentials are needed)" >&2
    exit 2
  }
done

exec /usr/bin/python3 - "$@" <<'EOF'
import os, sys
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

env = os.environ
ks = client.Client(session=session.Session(auth=v3.Password(
    auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'], password=env['OS_PASSWORD'],
    project_name=env['OS_PROJECT_NAME'], user_domain_name=env.get('OS_USER_DOMAIN_NAME', 'Default'),
    project_domain_name=env.get('OS_PROJECT_DOMAIN_NAME', 'Default'))), interface='public')
TYPES = (('block-storage', 'Block Storage v3 (Strata)'), ('volumev3', 'Block Storage v3 (Strata, legacy service type)'))
default_region = env.get('OS_REGION_NAME') or 'RegionOne'

def service(type_, description):
    found = ks.services.list(type=type_)
    return found[0] if found else ks.services.create('strata', type=type_, description=description)

if sys.argv[1] == '--remove':
    region = sys.argv[2] if len(sys.argv) > 2 else default_region
    for type_, _ in TYPES:
        for s in ks.services.list(type=type_):
            for e in ks.endpoints.list(service=s, region=region):
                ks.endpoints.delete(e)
    if not ks.endpoints.list(region=region) and region != 'RegionOne':
        try:
            ks.regions.delete(region)
        except Exception as e:  # a region with sub-regions stays
            print('region %s kept: %s' % (region, e), file=sys.stderr)
    print('removed Strata endpoints from region %s' % region)
    sys.exit(0)

url = sys.argv[1]
region = sys.argv[2] if len(sys.argv) > 2 else default_region
if not url.startswith(('http://', 'https://')):
    sys.exit('keystone-register: URL must be http(s)://HOST:PORT/v3/%(project_id)s, got ' + url)
if region not in [r.id for r in ks.regions.list()]:
    ks.regions.create(id=region)
interfaces = [i.strip() for i in env.get('STRATA_KEYSTONE_INTERFACES', 'public,internal,admin').split(',') if i.strip()]
for type_, description in TYPES:
    s = service(type_, description)
    for itf in interfaces:
        existing = ks.endpoints.list(service=s, interface=itf, region=region)
        if existing:
            for e in existing:
                if e.url != url:
                    ks.endpoints.update(e, url=url)
        else:
            ks.endpoints.create(s, url, interface=itf, region=region)
    print('%s (%s): %s in %s -> %s' % (type_, s.id, ','.join(interfaces), region, url))
EOF
