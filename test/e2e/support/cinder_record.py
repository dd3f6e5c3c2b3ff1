"""Cinder's own export-record encoding (cinder.objects.Backup.encode_record / decode_record), for the
records e2e suite. Reads a JSON request on stdin, prints a JSON answer:
  {"encode": [<backup row>, ...]}  -> {"urls": [...]}   rows as in a catalog.json; missing fields are null
  {"reencode": [<url>, ...]}       -> {"urls": [...]}   decode with Cinder, rebuild the Backup object, encode again
"""
import json
import sys

from cinder import objects

objects.register_all()
from cinder.objects import backup as cinder_backup  # noqa: E402

FIELDS = [k for k in cinder_backup.Backup.fields if k != 'parent']


def backup_of(row):
    fields = {k: row.get(k) for k in FIELDS}
    fields['deleted'] = bool(row.get('deleted', False))
    fields['metadata'] = row.get('metadata') or {}
    return cinder_backup.Backup(**fields)


def encode(row):
    return backup_of(row).encode_record(driver_info={})


def reencode(url):
    record = cinder_backup.Backup.decode_record(url)
    driver_info = record.pop('driver_info')
    return backup_of(record).encode_record(driver_info=driver_info)


request = json.load(sys.stdin)
if 'encode' in request:
    print(json.dumps({'urls': [encode(r) for r in request['encode']]}))
else:
    print(json.dumps({'urls': [reencode(u) for u in request['reencode']]}))
