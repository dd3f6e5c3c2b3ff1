#!/usr/bin/python3
"""The keys of the payload Cinder's own `_usage_from_backup` builds, as a JSON list: the reference the
notification suite holds Strata's backup payloads against."""
import datetime
import json
import types

from cinder.volume import volume_utils

backup = types.SimpleNamespace(
    num_dependent_backups=0, project_id='p', user_id='u', availability_zone='nova', id='b', host='h',
    display_name='n', created_at=datetime.datetime.now(datetime.timezone.utc), status='available', volume_id='v',
    size=1, service_metadata='prefix', service='cinder.backup.drivers.posix.PosixBackupDriver', fail_reason=None,
    parent_id=None, snapshot_id=None)
usage = volume_utils._usage_from_backup(backup)
print(json.dumps({'keys': sorted(usage.keys()), 'created_at': usage['created_at']}))
