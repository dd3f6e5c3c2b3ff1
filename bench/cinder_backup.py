#!/usr/bin/python3
"""Times a full backup of a file with Cinder's own PosixBackupDriver (Debian's python3-cinder), zlib.

Only the database and notifications are mocked: the volume row gives the size, `Backup.save` and
`refresh` do nothing, `notify_about_backup_usage` drops its notification. Chunking, SHA-256 per block,
compression, object writes, `_metadata` and `_sha256file` are Cinder's code.

    /usr/bin/python3 bench/cinder_backup.py ROOT FILE SIZE_GIB

Prints one JSON line: {"seconds": wall time of driver.backup(), "bytes": bytes read}.
"""
import json
import os
import sys
import time
import uuid
from unittest import mock

from oslo_config import cfg

from cinder import context
from cinder import objects
from cinder.backup.drivers import posix
from cinder.objects import fields


def main():
    root, path, size_gib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    objects.register_all()
    cfg.CONF([], project='cinder', default_config_files=[])
    cfg.CONF.set_override('backup_posix_path', root)
    cfg.CONF.set_override('backup_compression_algorithm', 'zlib')
    ctx = context.get_admin_context()
    volume_id = str(uuid.uuid4())
    backup = objects.Backup(context=ctx, id=str(uuid.uuid4()), volume_id=volume_id, parent_id=None,
                            container=None, size=size_gib, status=fields.BackupStatus.CREATING,
                            display_name='bench', display_description=None, availability_zone='nova', host='bench',
                            project_id='bench', user_id='bench', snapshot_id=None,
                            data_timestamp=None, created_at=None)
    with mock.patch('cinder.db.dispose_engine'):
        driver = posix.PosixBackupDriver(ctx)
    with mock.patch.object(objects.Backup, 'save'), \
            mock.patch.object(objects.Backup, 'refresh'), \
            mock.patch('cinder.volume.volume_utils.notify_about_backup_usage'), \
            mock.patch.object(driver.db, 'volume_get', return_value={'size': size_gib}), \
            mock.patch.object(driver.backup_meta_api, 'get', return_value=None), \
            open(path, 'rb') as volume_file:
        started = time.monotonic()
        driver.backup(backup, volume_file)
        seconds = time.monotonic() - started
    print(json.dumps({'seconds': seconds, 'bytes': os.path.getsize(path)}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
