"""Cinder's `key~` list filter (3.31+ for admins), run by Cinder's own code on SQLite.

Reads {"names": [...], "probes": [...]} on stdin. For backups and for volumes, makes an SQLite database
with Cinder's models, one row per name (its display_name), and for each probe applies Cinder's filter
processing to {"display_name~": probe} (what the API makes of `name~=probe`,
cinder/api/common.py ATTRIBUTE_CONVERTERS), as cinder/db/sqlalchemy/api.py's list queries do.
Prints {"backup": [[names matched]...], "volume": [[...]...]}, names sorted, one list per probe.
"""
import json
import sys
import uuid

import sqlalchemy
from sqlalchemy.orm import sessionmaker

from cinder.db.sqlalchemy import api
from cinder.db.sqlalchemy import models


def matches(model, process, names, probes):
    engine = sqlalchemy.create_engine('sqlite://')
    models.BASE.metadata.create_all(engine, tables=[model.__table__])
    session = sessionmaker(bind=engine)()
    for name in names:
        row = model(id=str(uuid.uuid4()), display_name=name)
        if model is models.Backup:
            row.volume_id = str(uuid.uuid4())
        else:
            row.volume_type_id = str(uuid.uuid4())
        session.add(row)
    session.commit()
    out = []
    for probe in probes:
        query = process(session.query(model), {'display_name~': probe})
        out.append(sorted(row.display_name for row in query.all()))
    return out


request = json.load(sys.stdin)
print(json.dumps({
    'backup': matches(models.Backup, api._process_backups_filters, request['names'], request['probes']),
    'volume': matches(models.Volume, api._process_volume_filters, request['names'], request['probes']),
}))
