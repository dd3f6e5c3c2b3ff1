#!/usr/bin/python3
"""Restores backup chains from a posix repository with Cinder's own PosixBackupDriver.

Only the database is mocked: `objects.Backup.get_by_id` answers the driver's parent lookups and its
per-object cancel check (`refresh()` of the requested backup, which must stay `restoring`) from the
chain given here, and `BackupMetadataAPI.put` records each `volume_meta` instead of updating a volume
row. Everything else (reading `_metadata`, the object-list check, decompression by each object's
recorded `compression`, seek, write and fsync) is the real code from Debian's python3-cinder.

Reads one JSON document on stdin (several restores share one process: importing cinder takes seconds):

    {"root": REPO, "restores": [{"target": FILE, "volumeId": ID,
                                 "chain": [{"id": ..., "container": ..., "prefix": ...}, ...]}]}

Each chain lists the full backup first and the backup to restore last. Prints one JSON line per restore:
{"restored": ID, "volumeMeta": [each volume_meta put, full first]}. Must run with /usr/bin/python3.
"""
import json
import os
import sys
from unittest import mock

from oslo_config import cfg

from cinder import context
from cinder import objects
from cinder.backup.drivers import posix
from cinder.objects import fields


def backup_rows(volume_id, chain):
    """The rows the driver would read from the database; each backup's parent is the one before it."""
    rows = {}
    parent_id = None
    for b in chain:
        rows[b['id']] = dict(id=b['id'], parent_id=parent_id, container=b['container'],
                             service_metadata=b['prefix'], volume_id=volume_id, size=1,
                             status=fields.BackupStatus.RESTORING)
        parent_id = b['id']
    return rows


def restore(ctx, job):
    rows = backup_rows(job['volumeId'], job['chain'])

    def get_by_id(_context, backup_id, *_args, **_kwargs):
        # A fresh object each time: refresh() copies the result's fields into the caller's object.
        return objects.Backup(context=ctx, **rows[backup_id])

    # The driver's base class disposes of the DB engine on construction; there is no database here.
    with mock.patch('cinder.db.dispose_engine'):
        driver = posix.PosixBackupDriver(ctx)
    requested = get_by_id(ctx, job['chain'][-1]['id'])
    with mock.patch.object(objects.Backup, 'get_by_id', side_effect=get_by_id), \
            mock.patch.object(driver.backup_meta_api, 'put') as put_meta:
        mode = 'r+b' if os.path.exists(job['target']) else 'wb'
        with open(job['target'], mode) as volume_file:
            driver.restore(requested, job['volumeId'], volume_file)
    return {'restored': requested.id, 'volumeMeta': [c.args[1] for c in put_meta.call_args_list]}


def main():
    spec = json.load(sys.stdin)
    objects.register_all()
    cfg.CONF([], project='cinder', default_config_files=[])
    cfg.CONF.set_override('backup_posix_path', spec['root'])
    ctx = context.get_admin_context()
    for job in spec['restores']:
        print(json.dumps(restore(ctx, job)), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
